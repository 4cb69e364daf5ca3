package dev.connectorruntime.host.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connectorruntime.host.format.Json;
import dev.connectorruntime.spi.ActionDescriptor;
import dev.connectorruntime.spi.ActionError;
import dev.connectorruntime.spi.ActionException;
import dev.connectorruntime.spi.Connection;
import dev.connectorruntime.spi.ErrorCode;
import dev.connectorruntime.spi.FieldError;
import dev.connectorruntime.spi.HttpBinding;
import dev.connectorruntime.spi.UpstreamRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hc.client5.http.entity.mime.MultipartEntityBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;

/**
 * Binds a validated input to an HTTP request as its descriptor says: fixed query first, then each
 * input field to its path segment, a header, the query string or the body. Only the fields the caller
 * gave are sent.
 */
public final class RequestBinder {
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PATH_PARAM = Pattern.compile("\\{([^}/]+)}");

    private RequestBinder() {}

    public static UpstreamRequest bind(ActionDescriptor action, JsonNode input, Connection connection) throws ActionException {
        HttpBinding http = action.http();
        List<Map.Entry<String, String>> query = new ArrayList<>();
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        http.fixedQuery().forEach((k, v) -> query.add(Map.entry(k, v)));
        ObjectNode body = JSON.createObjectNode();
        String path = fillPath(http.path(), input);
        Iterator<Map.Entry<String, JsonNode>> fields = input.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            if (http.local().contains(name) || http.path().contains("{" + name + "}")) {
                continue;
            }
            if (http.headers().contains(name)) {
                headers.add(Map.entry(name, text(field.getValue())));
            } else if (http.queryOnly() || http.query().contains(name)) {
                addPairs(query, name, field.getValue());
            } else {
                body.set(name, field.getValue());
            }
        }
        byte[] bytes = null;
        String contentType = null;
        if (!http.queryOnly()) {
            JsonNode whole = http.bodyField() == null ? body : body.get(http.bodyField());
            switch (http.body()) {
                case MULTIPART -> {
                    HttpEntity entity = multipart(http.multipart(), body);
                    bytes = toBytes(entity);
                    contentType = entity.getContentType();
                }
                case FORM -> {
                    bytes = form(body).getBytes(StandardCharsets.UTF_8);
                    contentType = "application/x-www-form-urlencoded; charset=UTF-8";
                }
                case RAW -> {
                    bytes = whole == null ? null : raw(http, whole);
                    contentType = whole == null ? null : http.contentType();
                }
                default -> {
                    if (whole != null) {
                        bytes = Json.bytes(whole);
                        contentType = "application/json; charset=UTF-8";
                    }
                }
            }
        }
        return new UpstreamRequest(http.method().name(), connection.baseUrl(), path, query, headers, bytes, contentType,
                connection.http());
    }

    /** Each {@code {field}} of the path replaced by the field's value, URL-encoded as one segment. */
    private static String fillPath(String template, JsonNode input) {
        if (template.indexOf('{') < 0) {
            return template;
        }
        Matcher matcher = PATH_PARAM.matcher(template);
        StringBuilder path = new StringBuilder();
        while (matcher.find()) {
            JsonNode value = input.get(matcher.group(1));
            String segment = value == null || value.isNull() ? "" : text(value);
            matcher.appendReplacement(path, Matcher.quoteReplacement(
                    URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20")));
        }
        matcher.appendTail(path);
        return path.toString();
    }

    private static String form(ObjectNode fields) {
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        fields.fields().forEachRemaining(field -> addPairs(pairs, field.getKey(), field.getValue()));
        StringBuilder form = new StringBuilder();
        pairs.forEach(pair -> form.append(form.isEmpty() ? "" : "&")
                .append(URLEncoder.encode(pair.getKey(), StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(pair.getValue(), StandardCharsets.UTF_8)));
        return form.toString();
    }

    private static final Pattern MEDIA_TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*");

    /** One pair per item of an array of plain values ({@code tags=a&tags=b}); anything else one pair. */
    private static void addPairs(List<Map.Entry<String, String>> pairs, String name, JsonNode value) {
        boolean plainItems = value.isArray() && !value.isEmpty();
        for (JsonNode item : value.isArray() ? value : List.<JsonNode>of()) {
            plainItems &= item.isValueNode();
        }
        if (plainItems) {
            value.forEach(item -> pairs.add(Map.entry(name, text(item))));
        } else {
            pairs.add(Map.entry(name, text(value)));
        }
    }

    /** A raw body: text as is for a text, JSON or XML media type, else the bytes the base64 text encodes. */
    private static byte[] raw(HttpBinding http, JsonNode value) throws ActionException {
        String type = http.contentType().toLowerCase(java.util.Locale.ROOT);
        if (type.startsWith("text/") || type.contains("json") || type.contains("xml")) {
            return text(value).getBytes(StandardCharsets.UTF_8);
        }
        try {
            return Base64.getDecoder().decode(WHITESPACE.matcher(value.asText()).replaceAll(""));
        } catch (IllegalArgumentException e) {
            throw new ActionException(ActionError.invalidInput(List.of(new FieldError("/" + http.bodyField(), "contentEncoding",
                    "/" + http.bodyField() + ": 不是有效的 base64 内容 (not valid base64)"))));
        }
    }

    private static String text(JsonNode value) {
        return value.isValueNode() ? value.asText() : value.toString();
    }

    private static HttpEntity multipart(HttpBinding.Multipart spec, ObjectNode fields) throws ActionException {
        byte[] content;
        try {
            // Strict: line breaks are allowed, anything else outside the alphabet is an error (a lenient
            // decoder would skip it and upload junk bytes).
            content = Base64.getDecoder().decode(WHITESPACE.matcher(fields.path(spec.content()).asText()).replaceAll(""));
        } catch (IllegalArgumentException e) {
            throw new ActionException(ActionError.invalidInput(List.of(new FieldError("/" + spec.content(), "contentEncoding",
                    "/" + spec.content() + ": 不是有效的 base64 内容 (not valid base64)"))));
        }
        String mime = spec.contentType() != null && fields.hasNonNull(spec.contentType())
                ? fields.get(spec.contentType()).asText() : "application/octet-stream";
        MultipartEntityBuilder builder = MultipartEntityBuilder.create()
                .addBinaryBody(spec.part(), content, mediaType(spec.contentType(), mime), fields.path(spec.filename()).asText("file"));
        fields.fields().forEachRemaining(field -> {
            String name = field.getKey();
            if (!name.equals(spec.content()) && !name.equals(spec.filename()) && !name.equals(spec.contentType())) {
                builder.addTextBody(name, text(field.getValue()), ContentType.TEXT_PLAIN.withCharset(StandardCharsets.UTF_8));
            }
        });
        return builder.build();
    }

    /** The caller's media type, checked: a malformed one or an unknown charset is a field error, not a crash. */
    private static ContentType mediaType(String field, String mime) throws ActionException {
        ContentType type;
        try {
            type = ContentType.parse(mime);
            if (type != null && type.getMimeType() != null && MEDIA_TYPE.matcher(type.getMimeType()).matches()) {
                type.getCharset(); // an unknown or illegal charset name throws here
                return type;
            }
        } catch (RuntimeException e) {
            // falls through to the field error (ParseException, UnsupportedCharsetException, IllegalCharsetNameException)
        }
        String pointer = "/" + field;
        throw new ActionException(ActionError.invalidInput(List.of(new FieldError(pointer, "pattern",
                pointer + ": 不是有效的 MIME 类型，如 image/png (not a valid media type such as image/png, with a known charset if any)"))));
    }

    private static byte[] toBytes(HttpEntity entity) {
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            entity.writeTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
