package dev.connectorruntime.spi;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One HTTP request to the upstream service.
 *
 * @param query ordered query parameters (name, value)
 * @param headers ordered request headers (name, value), besides the content type
 * @param body the body, or null
 * @param contentType the body's MIME type, or null
 * @param http whose timeouts and proxy apply
 */
public record UpstreamRequest(
        String method,
        URI baseUrl,
        String path,
        List<Map.Entry<String, String>> query,
        List<Map.Entry<String, String>> headers,
        byte[] body,
        String contentType,
        Connection.HttpSettings http) {

    public UpstreamRequest {
        query = List.copyOf(query);
        headers = headers == null ? List.of() : List.copyOf(headers);
    }

    /** A request without headers of its own. */
    public UpstreamRequest(String method, URI baseUrl, String path, List<Map.Entry<String, String>> query, byte[] body,
                           String contentType, Connection.HttpSettings http) {
        this(method, baseUrl, path, query, List.of(), body, contentType, http);
    }

    /** The same request with one more query parameter. */
    public UpstreamRequest withQuery(String name, String value) {
        List<Map.Entry<String, String>> more = new ArrayList<>(query);
        more.add(Map.entry(name, value));
        return new UpstreamRequest(method, baseUrl, path, more, headers, body, contentType, http);
    }

    /**
     * The same request carrying {@code credential}: each part as a query parameter, a header, or a
     * cookie (all cookies in one {@code Cookie} header).
     */
    public UpstreamRequest with(Credential credential) {
        if (credential.parts().isEmpty()) {
            return this;
        }
        List<Map.Entry<String, String>> moreQuery = new ArrayList<>(query);
        List<Map.Entry<String, String>> moreHeaders = new ArrayList<>(headers);
        StringBuilder cookies = new StringBuilder();
        for (Credential.Part part : credential.parts()) {
            switch (part.in()) {
                case QUERY -> moreQuery.add(Map.entry(part.name(), part.value().reveal()));
                case HEADER -> moreHeaders.add(Map.entry(part.name(), part.value().reveal()));
                case COOKIE -> cookies.append(cookies.isEmpty() ? "" : "; ").append(part.name()).append('=').append(part.value().reveal());
            }
        }
        if (!cookies.isEmpty()) {
            moreHeaders.add(Map.entry("Cookie", cookies.toString()));
        }
        return new UpstreamRequest(method, baseUrl, path, moreQuery, moreHeaders, body, contentType, http);
    }

    /** Prints neither the query nor the headers: either may carry a credential. */
    @Override
    public String toString() {
        return "UpstreamRequest[" + method + " " + baseUrl + path + "]";
    }
}
