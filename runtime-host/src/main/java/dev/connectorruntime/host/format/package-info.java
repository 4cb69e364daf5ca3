/**
 * Not API (internal to the host). JSON formats shared by the CLI and the HTTP API: input parsing,
 * error JSON, action summaries, connection reports.
 */
package dev.connectorruntime.host.format;
