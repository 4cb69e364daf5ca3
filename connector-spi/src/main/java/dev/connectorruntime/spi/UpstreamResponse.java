package dev.connectorruntime.spi;

import java.util.Map;
import java.util.TreeMap;

/**
 * An HTTP response from the upstream service.
 *
 * @param headers response headers (the first value of each), names compared without case
 */
public record UpstreamResponse(int status, String contentType, byte[] body, Map<String, String> headers) {

    public UpstreamResponse {
        TreeMap<String, String> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            byName.putAll(headers);
        }
        headers = java.util.Collections.unmodifiableMap(byName);
    }

    /** A response whose headers nobody reads. */
    public UpstreamResponse(int status, String contentType, byte[] body) {
        this(status, contentType, body, Map.of());
    }

    /** A header's value, or null; the name is compared without case. */
    public String header(String name) {
        return headers.get(name);
    }
}
