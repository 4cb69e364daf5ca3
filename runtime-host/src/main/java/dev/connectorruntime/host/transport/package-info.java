/**
 * Not API (internal to the host). The HTTP client transport (HttpClient 5 pool, timeouts, proxy).
 */
package dev.connectorruntime.host.transport;
