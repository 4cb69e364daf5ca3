package dev.connectorruntime.host.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.connectorruntime.host.ConnectorHost;
import dev.connectorruntime.host.ExecuteOptions;
import dev.connectorruntime.host.format.ErrorJson;
import dev.connectorruntime.host.format.Json;
import dev.connectorruntime.spi.ExecutionResult;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a connector's demo scenario: steps of {@code {title, action, input, save}} where {@code save}
 * keeps output values (by JSON Pointer) under names that later inputs use as {@code ${name}}, and
 * steps of {@code {title, listen: {trigger, filter, timeoutSeconds}}} that wait for a trigger event the
 * earlier steps caused (the sandbox sends its callback as the upstream would).
 */
public final class DemoScenario {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z0-9_]+)}");

    private DemoScenario() {}

    /** Waits for the first event of a trigger whose fields pass the filter; empty after the timeout. */
    public interface Listener {
        Optional<JsonNode> await(String triggerId, JsonNode filter, Duration timeout) throws InterruptedException;
    }

    /** Runs every step, printing each; returns false at the first failing step. */
    public static boolean run(ConnectorHost host, JsonNode scenario, ExecuteOptions options, PrintStream out) {
        return run(host, scenario, options, out, (trigger, filter, timeout) -> Optional.empty());
    }

    /** Runs every step, printing each, {@code listen} steps with the listener; returns false at the first failing step. */
    public static boolean run(ConnectorHost host, JsonNode scenario, ExecuteOptions options, PrintStream out, Listener listener) {
        Map<String, JsonNode> saved = new HashMap<>();
        ArrayNode steps = (ArrayNode) scenario.path("steps");
        out.println("== " + scenario.path("title").asText("Demo") + " ==");
        int number = 0;
        for (JsonNode step : steps) {
            number++;
            if (step.has("listen")) {
                if (!listen(step, number, steps.size(), listener, out)) {
                    return false;
                }
                continue;
            }
            String action = step.path("action").asText();
            JsonNode input = substitute(step.path("input"), saved);
            out.printf("%n[%d/%d] %s  (%s)%n", number, steps.size(), step.path("title").asText(), action);
            out.println("  input:  " + input);
            ExecutionResult result = host.execute(action, input, options);
            if (result instanceof ExecutionResult.Failure failure) {
                out.println("  FAILED: " + Json.pretty(ErrorJson.of(failure.error())).replace("\n", "\n  "));
                return false;
            }
            JsonNode output = ((ExecutionResult.Success) result).output();
            out.println("  output: " + output);
            step.path("save").fields().forEachRemaining(e -> saved.put(e.getKey(), output.at(e.getValue().asText())));
        }
        out.printf("%nAll %d steps succeeded.%n", steps.size());
        return true;
    }

    private static boolean listen(JsonNode step, int number, int count, Listener listener, PrintStream out) {
        JsonNode listen = step.get("listen");
        String trigger = listen.path("trigger").asText();
        out.printf("%n[%d/%d] %s  (listen: %s)%n", number, count, step.path("title").asText(), trigger);
        out.println("  filter: " + listen.path("filter"));
        try {
            Optional<JsonNode> event = listener.await(trigger, listen.get("filter"), Duration.ofSeconds(listen.path("timeoutSeconds").asLong(20)));
            if (event.isEmpty()) {
                out.println("  FAILED: no " + trigger + " event arrived within " + listen.path("timeoutSeconds").asLong(20) + " s");
                return false;
            }
            out.println("  event:  " + event.get());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static JsonNode substitute(JsonNode node, Map<String, JsonNode> saved) {
        if (node.isTextual()) {
            Matcher whole = VARIABLE.matcher(node.asText());
            if (whole.matches() && saved.containsKey(whole.group(1))) {
                return saved.get(whole.group(1)).deepCopy();
            }
            return new TextNode(VARIABLE.matcher(node.asText()).replaceAll(m ->
                    Matcher.quoteReplacement(saved.containsKey(m.group(1)) ? saved.get(m.group(1)).asText() : m.group())));
        }
        if (node.isArray()) {
            ArrayNode copy = Json.MAPPER.createArrayNode();
            node.forEach(item -> copy.add(substitute(item, saved)));
            return copy;
        }
        if (node.isObject()) {
            ObjectNode copy = Json.MAPPER.createObjectNode();
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                copy.set(field.getKey(), substitute(field.getValue(), saved));
            }
            return copy;
        }
        return node.deepCopy();
    }
}
