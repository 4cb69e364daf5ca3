package dev.connectorruntime.spi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One action: what it is, how it binds to HTTP, and its input and output JSON Schemas.
 *
 * <p>Read from a descriptor file ({@code schemas/<connector>/actions/<id>.json}); the format is
 * documented in {@code schemas/README.md} and checked by {@code schemas/descriptor.schema.json}.
 *
 * @param credential the secret kind the action needs ({@code any} when every kind may call it)
 * @param safeToRepeat true only when repeating the call cannot change anything (reads)
 * @param handler name of a connector's local handler, or null for a plain HTTP call
 * @param connectionDefaults input field -> connection property that fills it when absent
 * @param paging how to follow pages, or null when the action is not paged
 * @param options designer hints: input pointer -> the action that offers the field's choices
 * @param rateLimitPerMinute the upstream's documented limit for this method per tenant, or null
 * @param source the descriptor as read, for {@code describe}
 */
public record ActionDescriptor(
        String id,
        String title,
        String titleEn,
        String description,
        String category,
        String docUrl,
        String credential,
        boolean safeToRepeat,
        String handler,
        HttpBinding http,
        Map<String, String> connectionDefaults,
        Paging paging,
        ObjectNode options,
        Integer rateLimitPerMinute,
        ObjectNode input,
        ObjectNode output,
        List<Example> examples,
        ObjectNode source) {

    public ActionDescriptor {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(output, "output");
        connectionDefaults = connectionDefaults == null ? Map.of() : Map.copyOf(connectionDefaults);
        examples = examples == null ? List.of() : List.copyOf(examples);
    }

    /** The same action calling {@code method} at {@code path} with the {@code kind} secret; never safe to repeat. */
    public ActionDescriptor forRawCall(String kind, String method, String path) {
        return new ActionDescriptor(id, title, titleEn, description, category, docUrl, kind, false, handler,
                new HttpBinding(method, path, null, null, null, null, null), Map.of(), null, options, rateLimitPerMinute,
                input, output, examples, source);
    }

    /** A complete example input. */
    public record Example(String title, JsonNode input) {}

    /** How to follow the pages of a paged read. */
    public record Paging(
            String style,
            String items,
            String cursorParam,
            String nextCursorField,
            String offsetParam,
            String limitParam,
            Integer maxLimit) {}
}
