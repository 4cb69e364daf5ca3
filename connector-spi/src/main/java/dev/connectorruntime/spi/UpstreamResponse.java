package dev.connectorruntime.spi;

/** An HTTP response from the upstream service. */
public record UpstreamResponse(int status, String contentType, byte[] body) {}
