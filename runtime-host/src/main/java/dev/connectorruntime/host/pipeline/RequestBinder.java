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
                query.add(Map.entry(name, text(field.getValue())));
            } else {
                body.set(name, field.getValue());
            }
        }
        byte[] bytes = null;
        String contentType = null;
        if (!http.queryOnly()) {
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
                default -> {
                    bytes = Json.bytes(body);
                    contentType = "application/json; charset=UTF-8";
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
        StringBuilder form = new StringBuilder();
        fields.fields().forEachRemaining(field -> form.append(form.isEmpty() ? "" : "&")
                .append(URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(text(field.getValue()), StandardCharsets.UTF_8)));
        return form.toString();
    }

    private static final Pattern MEDIA_TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*");

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
        return MultipartEntityBuilder.create()
                .addBinaryBody(spec.part(), content, mediaType(spec.contentType(), mime), fields.path(spec.filename()).asText("file"))
                .build();
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
