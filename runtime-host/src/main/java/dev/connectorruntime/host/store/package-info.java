/**
 * Not API (internal to the host). The embedded database (H2) for the host's own durable state.
 */
package dev.connectorruntime.host.store;
