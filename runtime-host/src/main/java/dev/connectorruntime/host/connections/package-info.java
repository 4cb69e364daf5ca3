/**
 * Not API (internal to the host). Named connections: the registry validated against each connector's
 * connection schema, and the sources a connection is read from (environment).
 */
package dev.connectorruntime.host.connections;
