package dev.connectorruntime.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.connectorruntime.spi.ActionDescriptor;
import dev.connectorruntime.spi.ActionError;
import dev.connectorruntime.spi.ErrorCode;
import dev.connectorruntime.spi.UpstreamResponse;
import dev.connectorruntime.spi.Verdict;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The answer of a REST API read by its status. Whether a failed call is resent is the host's rule
 * (a read is, a write only when the verdict proves it was not applied); this table says what the
 * connector reports.
 */
class ResponseClassifierTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private final ResponseClassifier classifier = new ResponseClassifier(Clock.fixed(NOW, ZoneOffset.UTC));
    private final ActionDescriptor action = new OpenApiConnector(TestDocuments.catalog("petstore.connector.json"))
            .actions().get(0);

    static Stream<Arguments> statuses() {
        // status, body, verdict, error code, retryable, message
        return Stream.of(
                Arguments.of(400, "{\"message\": \"Invalid ID supplied\"}", Verdict.Failed.class, ErrorCode.UPSTREAM_ERROR, false, "Invalid ID supplied"),
                Arguments.of(404, "{\"error\": {\"message\": \"Pet not found\", \"code\": \"NOT_FOUND\"}}", Verdict.Failed.class, ErrorCode.UPSTREAM_ERROR, false, "Pet not found"),
                Arguments.of(422, "{\"name\": \"UNPROCESSABLE_ENTITY\", \"details\": [], \"message\": \"The requested action could not be performed\"}", Verdict.Failed.class, ErrorCode.UPSTREAM_ERROR, false, "The requested action could not be performed"),
                Arguments.of(409, "{\"type\": \"about:blank\", \"title\": \"Conflict\", \"detail\": \"Event exists\"}", Verdict.Failed.class, ErrorCode.UPSTREAM_ERROR, false, "Event exists"),
                Arguments.of(401, "{\"error\": \"invalid_token\", \"error_description\": \"Token expired\"}", Verdict.CredentialRejected.class, ErrorCode.AUTH_FAILED, false, "Token expired"),
                Arguments.of(429, "{\"message\": \"Too many requests\"}", Verdict.NotApplied.class, ErrorCode.UPSTREAM_ERROR, true, "Too many requests"),
                Arguments.of(503, "", Verdict.NotApplied.class, ErrorCode.UPSTREAM_UNAVAILABLE, true, null),
                Arguments.of(500, "oops", Verdict.Failed.class, ErrorCode.UPSTREAM_UNAVAILABLE, true, "oops"),
                Arguments.of(502, "", Verdict.Failed.class, ErrorCode.UPSTREAM_UNAVAILABLE, true, null));
    }

    @ParameterizedTest(name = "HTTP {0} -> {2}")
    @MethodSource("statuses")
    void failuresByStatus(int status, String body, Class<? extends Verdict> verdict, ErrorCode code, boolean retryable, String message) {
        Verdict result = classifier.classify(action, response(status, body.startsWith("{") ? "application/json" : "text/plain", body, Map.of()));
        assertInstanceOf(verdict, result);
        ActionError error = error(result);
        assertEquals(code, error.code());
        assertEquals(retryable, error.retryable());
        assertEquals(status, error.upstream().status());
        assertEquals(message, error.upstream().message());
    }

    @Test
    void retryAfterInSecondsOrAsADate() {
        Verdict.NotApplied seconds = (Verdict.NotApplied) classifier.classify(action,
                response(429, "application/json", "{}", Map.of("Retry-After", "7")));
        assertEquals(Duration.ofSeconds(7), seconds.retryAfter());
        Verdict.NotApplied date = (Verdict.NotApplied) classifier.classify(action,
                response(503, "text/plain", "", Map.of("Retry-After", "Thu, 01 Jan 2026 00:00:30 GMT")));
        assertEquals(Duration.ofSeconds(30), date.retryAfter());
        Verdict.NotApplied none = (Verdict.NotApplied) classifier.classify(action, response(503, "text/plain", "", Map.of()));
        assertNull(none.retryAfter());
    }

    @Test
    void successOutputs() {
        JsonNode json = success(response(200, "application/json; charset=utf-8", "[{\"id\": 1}]", Map.of()));
        assertEquals(1, json.get(0).get("id").asInt());
        assertEquals(0, success(response(204, null, "", Map.of())).size(), "no content is {}");
        JsonNode png = success(new UpstreamResponse(200, "image/png", new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Map.of()));
        assertEquals("image/png", png.get("contentType").asText());
        assertEquals("iVBORw==", png.get("content").asText());
        JsonNode xml = success(response(200, "application/xml", "<pet/>", Map.of()));
        assertEquals("<pet/>", xml.get("content").asText());
    }

    private JsonNode success(UpstreamResponse response) {
        return ((Verdict.Success) classifier.classify(action, response)).output();
    }

    private static ActionError error(Verdict verdict) {
        if (verdict instanceof Verdict.Failed failed) {
            return failed.error();
        }
        if (verdict instanceof Verdict.NotApplied notApplied) {
            return notApplied.error();
        }
        if (verdict instanceof Verdict.CredentialRejected rejected) {
            return rejected.error();
        }
        throw new AssertionError("not a failure: " + verdict);
    }

    private static UpstreamResponse response(int status, String contentType, String body, Map<String, String> headers) {
        return new UpstreamResponse(status, contentType, body.getBytes(StandardCharsets.UTF_8), headers);
    }

}
