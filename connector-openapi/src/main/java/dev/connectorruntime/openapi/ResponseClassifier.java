package dev.connectorruntime.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connectorruntime.spi.ActionDescriptor;
import dev.connectorruntime.spi.ActionError;
import dev.connectorruntime.spi.ErrorCode;
import dev.connectorruntime.spi.UpstreamError;
import dev.connectorruntime.spi.UpstreamResponse;
import dev.connectorruntime.spi.Verdict;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;

/**
 * Reads an upstream answer by its HTTP status, as any REST API means it:
 * <ul>
 *   <li>2xx: the output (JSON as is; an empty body is {}; any other media type is
 *       {@code {contentType, content}}, text as is and anything else base64);</li>
 *   <li>401: the credential was rejected (a cached token is fetched again and the call resent once);</li>
 *   <li>429 and 503: not applied; resent after {@code Retry-After} when the answer gives one;</li>
 *   <li>other 5xx: failed, retryable: the host resends a read, never a write;</li>
 *   <li>other 4xx: failed with the body's message.</li>
 * </ul>
 */
final class ResponseClassifier {
    private static final int MAX_TEXT = 500;
    /** Where APIs put the message of an error body, in order. */
    private static final List<String> MESSAGE_POINTERS = List.of("/message", "/error/message", "/error_description",
            "/detail", "/title", "/error", "/errors/0/message", "/errors/0/detail", "/msg");
    private static final List<String> CODE_POINTERS = List.of("/code", "/error/code", "/error", "/name", "/type");

    private final Clock clock;

    ResponseClassifier(Clock clock) {
        this.clock = clock;
    }

    Verdict classify(ActionDescriptor action, UpstreamResponse response) {
        int status = response.status();
        if (status >= 200 && status < 300) {
            return new Verdict.Success(output(response));
        }
        JsonNode body = json(response);
        String message = message(response, body);
        String code = code(body);
        ObjectNode details = OpenApiDocument.JSON.createObjectNode();
        if (body != null) {
            details.set("body", body);
        }
        UpstreamError upstream = new UpstreamError(code, message, status, details);
        String summary = action.id() + ": HTTP " + status + (message == null ? "" : ": " + message);
        if (status == 401) {
            return new Verdict.CredentialRejected(ActionError.of(ErrorCode.AUTH_FAILED, summary, upstream,
                    "Check the connection's credentials.", false));
        }
        if (status == 429 || status == 503) {
            return new Verdict.NotApplied(ActionError.of(status == 429 ? ErrorCode.UPSTREAM_ERROR : ErrorCode.UPSTREAM_UNAVAILABLE,
                    summary, upstream, "The API asked to wait; retry later.", true), retryAfter(response));
        }
        if (status >= 500) {
            return new Verdict.Failed(ActionError.of(ErrorCode.UPSTREAM_UNAVAILABLE, summary, upstream,
                    "The API failed; a read is retried, a write is not (check before sending it again).", true));
        }
        return new Verdict.Failed(ActionError.of(ErrorCode.UPSTREAM_ERROR, summary, upstream, null, false));
    }

    /** The success output. */
    static JsonNode output(UpstreamResponse response) {
        byte[] body = response.body() == null ? new byte[0] : response.body();
        String contentType = response.contentType() == null ? "" : response.contentType();
        if (body.length == 0) {
            return OpenApiDocument.JSON.createObjectNode();
        }
        if (isJson(contentType)) {
            JsonNode parsed = json(response);
            if (parsed != null) {
                return parsed;
            }
        }
        ObjectNode out = OpenApiDocument.JSON.createObjectNode();
        String mediaType = contentType.isEmpty() ? "application/octet-stream" : contentType;
        out.put("contentType", mediaType);
        out.put("content", isText(mediaType) ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body));
        return out;
    }

    /** {@code Retry-After} as seconds or an HTTP date; null when absent or unreadable. */
    Duration retryAfter(UpstreamResponse response) {
        String value = response.header("Retry-After");
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip())));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(clock.instant(), at);
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    private static String message(UpstreamResponse response, JsonNode body) {
        if (body != null) {
            for (String pointer : MESSAGE_POINTERS) {
                JsonNode value = body.at(pointer);
                if (value.isTextual() && !value.asText().isBlank()) {
                    return value.asText();
                }
            }
            return truncate(body.toString());
        }
        if (response.body() != null && response.body().length > 0 && isText(String.valueOf(response.contentType()))) {
            return truncate(new String(response.body(), StandardCharsets.UTF_8).strip());
        }
        return null;
    }

    private static String code(JsonNode body) {
        if (body == null) {
            return null;
        }
        for (String pointer : CODE_POINTERS) {
            JsonNode value = body.at(pointer);
            if (value.isValueNode() && !value.asText().isBlank()) {
                return value.asText();
            }
        }
        return null;
    }

    private static JsonNode json(UpstreamResponse response) {
        if (response.body() == null || response.body().length == 0) {
            return null;
        }
        try {
            return OpenApiDocument.JSON.readTree(response.body());
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean isJson(String contentType) {
        String type = contentType.split(";")[0].strip().toLowerCase(java.util.Locale.ROOT);
        return type.equals("application/json") || type.endsWith("+json");
    }

    private static boolean isText(String contentType) {
        String type = contentType.split(";")[0].strip().toLowerCase(java.util.Locale.ROOT);
        return type.startsWith("text/") || isJson(type) || type.endsWith("xml") || type.equals("application/x-www-form-urlencoded");
    }

    private static String truncate(String text) {
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "…";
    }
}
