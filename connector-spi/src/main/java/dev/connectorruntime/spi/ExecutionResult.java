package dev.connectorruntime.spi;

import com.fasterxml.jackson.databind.JsonNode;

/** The result of executing an action: its output, or a structured error. */
public sealed interface ExecutionResult {

    /** Upstream requests made for this call, retries and token refreshes included. */
    int attempts();

    /** @param output the action's output; it matches the output schema */
    record Success(JsonNode output, int attempts) implements ExecutionResult {}

    record Failure(ActionError error, int attempts) implements ExecutionResult {}
}
