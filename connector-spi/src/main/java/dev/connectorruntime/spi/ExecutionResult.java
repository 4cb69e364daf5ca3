package dev.connectorruntime.spi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** The result of executing an action: its output, or a structured error. */
public sealed interface ExecutionResult {

    /** Upstream requests made for this call, retries and token refreshes included. */
    int attempts();

    /**
     * @param output the action's output; it matches the output schema
     * @param warnings what the upstream does to accepted input that the caller may not expect, one per
     *     field (pointer, the rule such as {@code truncated}, a readable message); empty when none
     */
    record Success(JsonNode output, int attempts, List<FieldError> warnings) implements ExecutionResult {
        public Success {
            warnings = List.copyOf(warnings);
        }

        public Success(JsonNode output, int attempts) {
            this(output, attempts, List.of());
        }
    }

    record Failure(ActionError error, int attempts) implements ExecutionResult {}
}
