/**
 * Not API (internal to the host). The command line ({@code runtime-host}): picocli commands and the
 * demo; {@link dev.connectorruntime.host.cli.Main} is the entry point.
 */
package dev.connectorruntime.host.cli;
