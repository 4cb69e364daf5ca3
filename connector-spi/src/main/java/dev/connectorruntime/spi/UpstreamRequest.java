package dev.connectorruntime.spi;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * One HTTP request to the upstream service.
 *
 * @param query ordered query parameters (name, value)
 * @param body the body, or null
 * @param contentType the body's MIME type, or null
 * @param connection whose timeouts and proxy apply
 */
public record UpstreamRequest(
        String method,
        URI baseUrl,
        String path,
        List<Map.Entry<String, String>> query,
        byte[] body,
        String contentType,
        Connection.HttpSettings http) {

    public UpstreamRequest {
        query = List.copyOf(query);
    }

    /** The same request with one more query parameter. */
    public UpstreamRequest withQuery(String name, String value) {
        var more = new java.util.ArrayList<>(query);
        more.add(Map.entry(name, value));
        return new UpstreamRequest(method, baseUrl, path, more, body, contentType, http);
    }
}
