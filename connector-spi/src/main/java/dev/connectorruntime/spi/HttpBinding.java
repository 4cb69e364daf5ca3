package dev.connectorruntime.spi;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Where an action's input goes on the wire.
 *
 * <p>A field named as {@code {field}} in the path fills that path segment (URL-encoded). Fields named
 * in {@code headers} go to request headers, those in {@code query} to the query string, those in
 * {@code local} nowhere. The rest go to the body, or, for a method without a body (GET, HEAD) or
 * body style {@link BodyStyle#NONE}, to the query string. An array of plain values in the query string
 * or a form body is one parameter per item ({@code tags=a&tags=b}).
 *
 * @param fixedQuery query parameters every call sends, first
 * @param body how the body is encoded (default {@link BodyStyle#JSON})
 * @param multipart for {@link BodyStyle#MULTIPART}: which input fields hold the file
 * @param bodyField the input field whose value is the whole body (an array, say, or the content of a
 *     {@link BodyStyle#RAW} body), or null when the body is an object of the fields
 * @param contentType for {@link BodyStyle#RAW}: the body's media type
 */
public record HttpBinding(
        @JsonProperty(required = true) HttpMethod method,
        @JsonProperty(required = true) String path,
        Map<String, String> fixedQuery,
        Set<String> query,
        Set<String> headers,
        Set<String> local,
        BodyStyle body,
        Multipart multipart,
        String bodyField,
        String contentType) {

    public HttpBinding {
        Objects.requireNonNull(method, "http.method is missing");
        Objects.requireNonNull(path, "http.path is missing");
        fixedQuery = fixedQuery == null ? Map.of() : Map.copyOf(fixedQuery);
        query = query == null ? Set.of() : Set.copyOf(query);
        headers = headers == null ? Set.of() : Set.copyOf(headers);
        local = local == null ? Set.of() : Set.copyOf(local);
        body = body == null ? BodyStyle.JSON : body;
        if (body == BodyStyle.MULTIPART && multipart == null) {
            throw new IllegalArgumentException("http.body 'multipart' needs http.multipart (part, content, filename)");
        }
        if (body == BodyStyle.RAW && (bodyField == null || contentType == null)) {
            throw new IllegalArgumentException("http.body 'raw' needs http.bodyField and http.contentType");
        }
    }

    /** A binding whose body, if any, is an object of the fields. */
    public HttpBinding(HttpMethod method, String path, Map<String, String> fixedQuery, Set<String> query, Set<String> headers,
                       Set<String> local, BodyStyle body, Multipart multipart) {
        this(method, path, fixedQuery, query, headers, local, body, multipart, null, null);
    }

    /** True when the fields a body would carry go to the query string instead. */
    public boolean queryOnly() {
        return !method.sendsBody() || body == BodyStyle.NONE;
    }

    /**
     * The input fields of a file upload.
     *
     * @param part the form part name
     * @param content input field with the base64 content
     * @param filename input field with the file name
     * @param contentType input field with the MIME type, may be null
     */
    public record Multipart(
            @JsonProperty(required = true) String part,
            @JsonProperty(required = true) String content,
            @JsonProperty(required = true) String filename,
            String contentType) {}
}
