package dev.connectorruntime.host.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connectorruntime.host.ConnectorHost;
import dev.connectorruntime.host.RetryPolicy;
import dev.connectorruntime.spi.ActionDescriptor;
import dev.connectorruntime.spi.ActionError;
import dev.connectorruntime.spi.CatalogResources;
import dev.connectorruntime.spi.Connection;
import dev.connectorruntime.spi.Connector;
import dev.connectorruntime.spi.ConnectorContext;
import dev.connectorruntime.spi.ConnectorInfo;
import dev.connectorruntime.spi.Credential;
import dev.connectorruntime.spi.CredentialCheck;
import dev.connectorruntime.spi.ErrorCode;
import dev.connectorruntime.spi.ExecutionResult;
import dev.connectorruntime.spi.Transport;
import dev.connectorruntime.spi.UpstreamError;
import dev.connectorruntime.spi.UpstreamRequest;
import dev.connectorruntime.spi.UpstreamResponse;
import dev.connectorruntime.spi.Verdict;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * When the executor resends a call: the upstream's first answer (a verdict of the connector, or no
 * answer with the request written or not) × whether the action is safe to repeat -> how many times
 * it is sent and how the call ends. A change is resent only when the failure proves it was not applied.
 */
class RetryMatrixTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RetryPolicy FAST = new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofSeconds(10));

    @ParameterizedTest(name = "{0}, safe to repeat {1} -> sent {2}x, {3}")
    @CsvSource({
            // first answer,              safe,  sent, outcome
            "success,                     true,  1,    SUCCESS",
            "success,                     false, 1,    SUCCESS",
            "not written (refused),       true,  2,    SUCCESS",
            "not written (refused),       false, 2,    SUCCESS",
            "written (timeout),           true,  2,    SUCCESS",
            "written (timeout),           false, 1,    OUTCOME_UNKNOWN",
            "written (dropped),           false, 1,    OUTCOME_UNKNOWN",
            "not applied (busy),          true,  2,    SUCCESS",
            "not applied (busy),          false, 2,    SUCCESS",
            "failed retryable (5xx),      true,  2,    SUCCESS",
            "failed retryable (5xx),      false, 1,    UPSTREAM_UNAVAILABLE",
            "failed (bad request),        true,  1,    UPSTREAM_ERROR",
            "failed (bad request),        false, 1,    UPSTREAM_ERROR",
            "credential rejected,         true,  2,    SUCCESS",
            "credential rejected,         false, 2,    SUCCESS",
            "credential rejected twice,   true,  2,    AUTH_FAILED",
            "credential rejected twice,   false, 2,    AUTH_FAILED",
            "not applied (busy) x4,       true,  4,    RATE_LIMITED",
            "not applied (busy) x4,       false, 4,    RATE_LIMITED",
    })
    void theFirstAnswerAndSafetyDecideTheResends(String firstAnswer, boolean safeToRepeat, int expectedSends, String expectedOutcome)
            throws Exception {
        Script script = Script.of(firstAnswer);
        try (ConnectorHost host = ConnectorHost.builder().pluginsDir(Files.createTempDirectory("no-plugins"))
                .connector(new ScriptedConnector(safeToRepeat)).transport(script).retryPolicy(FAST).build()) {
            host.addConnection(JSON.readTree("{\"name\": \"c\", \"baseUrl\": \"http://127.0.0.1:9\"}"));
            ExecutionResult result = host.execute("call", JSON.createObjectNode());
            String outcome = result instanceof ExecutionResult.Failure failure ? failure.error().code().name() : "SUCCESS";
            assertEquals(expectedOutcome, outcome, result.toString());
            assertEquals(expectedSends, script.sends.get(), "requests sent");
        }
    }

    /** What the upstream does, one entry per request, then success. */
    private static final class Script implements Transport {
        final AtomicInteger sends = new AtomicInteger();
        private final Deque<String> answers;

        private Script(List<String> answers) {
            this.answers = new ArrayDeque<>(answers);
        }

        static Script of(String firstAnswer) {
            String answer = firstAnswer.trim();
            if (answer.endsWith(" x4")) {
                String one = answer.substring(0, answer.length() - 3);
                return new Script(Arrays.asList(one, one, one, one, one));
            }
            if (answer.equals("credential rejected twice")) {
                return new Script(List.of("credential rejected", "credential rejected"));
            }
            return new Script(List.of(answer));
        }

        @Override
        public UpstreamResponse send(UpstreamRequest request) throws TransportException {
            sends.incrementAndGet();
            String answer = answers.isEmpty() ? "success" : answers.poll();
            return switch (answer) {
                case "not written (refused)" -> throw new TransportException("connection refused", false, false, null);
                case "written (timeout)" -> throw new TransportException("no response", true, true, null);
                case "written (dropped)" -> throw new TransportException("connection reset", true, false, null);
                default -> new UpstreamResponse(200, "text/plain", answer.getBytes(StandardCharsets.UTF_8));
            };
        }
    }

    /** A connector whose verdict is the scripted answer's name; its one action is {@code call}. */
    private static final class ScriptedConnector implements Connector {
        private final ConnectorInfo info = CatalogResources.info(json("""
                {"id": "scripted", "title": "Scripted", "categories": [{"id": "main", "title": "Main"}],
                 "credentials": [{"kind": "none", "authentication": {"type": "none"}}]}"""), "scripted");
        private final ActionDescriptor action;

        ScriptedConnector(boolean safeToRepeat) {
            action = CatalogResources.descriptor(json("""
                    {"id": "call", "title": "Call", "category": "main", "credential": "none", "safeToRepeat": %s,
                     "http": {"method": "POST", "path": "/call"}, "input": {"type": "object"}, "output": {"type": "object"}}
                    """.formatted(safeToRepeat)), "call");
        }

        private static ObjectNode json(String text) {
            try {
                return (ObjectNode) JSON.readTree(text);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public Verdict classify(ActionDescriptor action, UpstreamResponse response) {
            String answer = new String(response.body(), StandardCharsets.UTF_8);
            UpstreamError upstream = new UpstreamError(answer, answer, response.status(), null);
            return switch (answer) {
                case "success" -> new Verdict.Success(JSON.createObjectNode());
                case "not applied (busy)" -> new Verdict.NotApplied(ActionError.of(ErrorCode.RATE_LIMITED, "busy", upstream, null, true));
                case "failed retryable (5xx)" -> new Verdict.Failed(ActionError.of(ErrorCode.UPSTREAM_UNAVAILABLE, "5xx", upstream, null, true));
                case "credential rejected" -> new Verdict.CredentialRejected(ActionError.of(ErrorCode.AUTH_FAILED, "rejected", upstream, null, false));
                default -> new Verdict.Failed(ActionError.of(ErrorCode.UPSTREAM_ERROR, "bad request", upstream, null, false));
            };
        }

        @Override
        public ConnectorInfo info() {
            return info;
        }

        @Override
        public List<ActionDescriptor> actions() {
            return List.of(action);
        }

        @Override
        public JsonNode connectionSchema() {
            return JSON.createObjectNode().put("type", "object");
        }

        @Override
        public void start(ConnectorContext context) {}

        @Override
        public Credential authenticate(ActionDescriptor action, Connection connection) {
            return Credential.none();
        }

        @Override
        public void invalidate(Credential credential) {}

        @Override
        public List<CredentialCheck> checkConnection(Connection connection) {
            return List.of();
        }
    }
}
