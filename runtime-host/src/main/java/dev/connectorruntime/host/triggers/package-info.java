/**
 * Not API (internal to the host). Triggers: callbacks, the event store and delivery.
 */
package dev.connectorruntime.host.triggers;
