/**
 * Not API (internal to the host). Credentials and tokens held in this process: the in-memory token
 * store (single-flight loads, refresh ahead of expiry).
 */
package dev.connectorruntime.host.auth;
