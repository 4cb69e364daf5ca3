package dev.connectorruntime.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.Set;

/**
 * A value that satisfies a JSON Schema, for actions whose document gives no complete example: the
 * schema's own examples where it has them, else a plain value of the right type and format.
 * Objects get their required fields and every field that has an example.
 */
final class SampleInput {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private SampleInput() {}

    static JsonNode of(JsonNode schema) {
        return value(schema, 0);
    }

    private static JsonNode value(JsonNode schema, int depth) {
        if (schema.path("examples").isArray() && !schema.get("examples").isEmpty()) {
            return schema.get("examples").get(0);
        }
        if (schema.has("const")) {
            return schema.get("const");
        }
        if (schema.has("default")) {
            return schema.get("default");
        }
        if (schema.path("enum").isArray()) {
            for (JsonNode option : schema.get("enum")) {
                if (!option.isNull()) {
                    return option;
                }
            }
        }
        if (schema.path("oneOf").isArray() || schema.path("anyOf").isArray()) {
            return value(schema.path("oneOf").isArray() ? schema.get("oneOf").get(0) : schema.get("anyOf").get(0), depth + 1);
        }
        String type = schema.path("type").isArray() ? schema.get("type").get(0).asText() : schema.path("type").asText("object");
        switch (type) {
            case "string" -> {
                return NODES.textNode(string(schema));
            }
            case "integer" -> {
                return NODES.numberNode(Math.max(schema.path("minimum").asLong(1), 1));
            }
            case "number" -> {
                return NODES.numberNode(Math.max(schema.path("minimum").asDouble(1.5), 1.5));
            }
            case "boolean" -> {
                return NODES.booleanNode(true);
            }
            case "array" -> {
                ArrayNode array = NODES.arrayNode();
                array.add(value(schema.path("items"), depth + 1));
                return array;
            }
            default -> {
                ObjectNode object = NODES.objectNode();
                Set<String> required = new HashSet<>();
                schema.path("required").forEach(r -> required.add(r.asText()));
                schema.path("properties").fields().forEachRemaining(p -> {
                    boolean exemplified = p.getValue().path("examples").isArray() && !p.getValue().get("examples").isEmpty();
                    if (required.contains(p.getKey()) || (exemplified && depth < 4)) {
                        object.set(p.getKey(), value(p.getValue(), depth + 1));
                    }
                });
                return object;
            }
        }
    }

    private static String string(JsonNode schema) {
        if ("base64".equals(schema.path("contentEncoding").asText(null))) {
            return "aGVsbG8=";
        }
        String text = switch (schema.path("format").asText("")) {
            case "date" -> "2024-01-01";
            case "date-time" -> "2024-01-01T00:00:00Z";
            case "uuid" -> "3be6453c-03eb-4357-ae5a-984a0e574a54";
            case "email" -> "ada@example.com";
            case "uri" -> "https://example.com/x";
            default -> "sample";
        };
        StringBuilder padded = new StringBuilder(text);
        while (padded.length() < schema.path("minLength").asInt(0)) {
            padded.append('x');
        }
        return padded.toString();
    }
}
