package dev.connectorruntime.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * An example value put together from the examples a (converted) schema gives for its parts: a
 * document that shows {@code "name": "doggie"} and {@code "id": 10} on a Pet's properties shows a Pet.
 * Nothing is invented: a part without an example (or default, or single allowed value) is left out,
 * and an object missing a required part has no example.
 */
final class ExampleComposer {
    private static final int MAX_DEPTH = 8;

    private ExampleComposer() {}

    static Optional<JsonNode> compose(JsonNode schema) {
        return Optional.ofNullable(compose(schema, 0));
    }

    private static JsonNode compose(JsonNode schema, int depth) {
        if (schema == null || !schema.isObject() || depth > MAX_DEPTH) {
            return null;
        }
        if (schema.path("examples").isArray() && !schema.get("examples").isEmpty()) {
            return schema.get("examples").get(0).deepCopy();
        }
        if (schema.has("const")) {
            return schema.get("const").deepCopy();
        }
        if (schema.has("default")) {
            return schema.get("default").deepCopy();
        }
        if (schema.path("enum").isArray() && !schema.get("enum").isEmpty()) {
            return schema.get("enum").get(0).deepCopy();
        }
        if (schema.path("properties").isObject()) {
            ObjectNode object = OpenApiDocument.JSON.createObjectNode();
            schema.get("properties").fields().forEachRemaining(p -> {
                JsonNode value = compose(p.getValue(), depth + 1);
                if (value != null) {
                    object.set(p.getKey(), value);
                }
            });
            for (JsonNode required : schema.path("required")) {
                if (!object.has(required.asText())) {
                    return null;
                }
            }
            return object.isEmpty() ? null : object;
        }
        if (schema.has("items")) {
            JsonNode item = compose(schema.get("items"), depth + 1);
            if (item == null) {
                return null;
            }
            ArrayNode array = OpenApiDocument.JSON.createArrayNode();
            return array.add(item);
        }
        for (String alternatives : new String[] {"oneOf", "anyOf"}) {
            for (JsonNode alternative : schema.path(alternatives)) {
                JsonNode value = compose(alternative, depth + 1);
                if (value != null) {
                    return value;
                }
            }
        }
        return null;
    }
}
