package dev.connectorruntime.spi;

import java.util.Map;
import java.util.Set;

/**
 * Where an action's input goes on the wire.
 *
 * <p>A GET sends every input field in the query string. A POST sends every input field in the body
 * except those named in {@code query}. Fields named in {@code local} are never sent.
 *
 * @param body {@code json} or {@code multipart}
 * @param multipart for {@code multipart}: which input fields hold the file
 */
public record HttpBinding(
        String method,
        String path,
        Map<String, String> fixedQuery,
        Set<String> query,
        Set<String> local,
        String body,
        Multipart multipart) {

    public HttpBinding {
        fixedQuery = fixedQuery == null ? Map.of() : Map.copyOf(fixedQuery);
        query = query == null ? Set.of() : Set.copyOf(query);
        local = local == null ? Set.of() : Set.copyOf(local);
        body = body == null ? "json" : body;
    }

    public boolean isGet() {
        return "GET".equals(method);
    }

    public boolean isMultipart() {
        return "multipart".equals(body);
    }

    /**
     * The input fields of a file upload.
     *
     * @param part the form part name
     * @param content input field with the base64 content
     * @param filename input field with the file name
     * @param contentType input field with the MIME type, may be null
     */
    public record Multipart(String part, String content, String filename, String contentType) {}
}
