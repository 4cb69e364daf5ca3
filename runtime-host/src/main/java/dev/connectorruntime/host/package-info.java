/**
 * The host's public API: {@link dev.connectorruntime.host.ConnectorHost} and its builder, the
 * options of a call and the retry policy. Everything a platform embeds the runtime with is here;
 * results and errors are the SPI's types. The sub-packages are the host's implementation, not API:
 * their classes are public only so that the host's own packages reach each other, and may change
 * without notice.
 */
package dev.connectorruntime.host;
