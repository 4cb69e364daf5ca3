package dev.connectorruntime.host.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Turns an input JSON Schema (2020-12) into the dialect form libraries such as json-editor render:
 * local {@code $ref}s inlined, labelled enums ({@code oneOf} of {@code const} + {@code title}) as
 * {@code enum} + {@code options.enum_titles}, and {@code if}/{@code then} choices on a type field
 * (msgtype) as {@code options.dependencies}, so the form shows only the chosen type's object.
 * Validation stays with the real schema on the server.
 */
final class FormSchema {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int MAX_DEPTH = 32;

    private FormSchema() {}

    static ObjectNode of(JsonNode input) {
        JsonNode defs = input.path("$defs");
        ObjectNode form = convert(input, defs, 0);
        form.remove("$schema");
        return form;
    }

    private static ObjectNode convert(JsonNode source, JsonNode defs, int depth) {
        ObjectNode schema = resolve(source, defs).deepCopy();
        schema.remove("$defs");
        if (depth > MAX_DEPTH) {
            return schema;
        }
        labelledEnum(schema);
        JsonNode properties = schema.path("properties");
        if (properties instanceof ObjectNode props) {
            Iterator<Map.Entry<String, JsonNode>> fields = props.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                field.setValue(convert(field.getValue(), defs, depth + 1));
            }
            dependencies(schema, props);
        }
        if (schema.path("items").isObject()) {
            schema.set("items", convert(schema.get("items"), defs, depth + 1));
        }
        for (String conditional : new String[] {"allOf", "anyOf", "if", "then", "else", "not", "dependentRequired", "patternProperties"}) {
            schema.remove(conditional);
        }
        if (schema.has("oneOf")) {
            ArrayNode variants = NODES.arrayNode();
            schema.get("oneOf").forEach(v -> variants.add(convert(v, defs, depth + 1)));
            schema.set("oneOf", variants);
        }
        return schema;
    }

    private static JsonNode resolve(JsonNode node, JsonNode defs) {
        String ref = node.path("$ref").asText("");
        if (!ref.startsWith("#/$defs/")) {
            return node;
        }
        ObjectNode merged = defs.path(ref.substring("#/$defs/".length())).deepCopy();
        node.fields().forEachRemaining(e -> {
            if (!e.getKey().equals("$ref")) {
                merged.set(e.getKey(), e.getValue());
            }
        });
        return merged;
    }

    /** {@code oneOf: [{const, title}...]} -> {@code enum} + {@code options.enum_titles}. */
    private static void labelledEnum(ObjectNode schema) {
        JsonNode oneOf = schema.path("oneOf");
        if (!oneOf.isArray() || oneOf.isEmpty()) {
            return;
        }
        ArrayNode values = NODES.arrayNode();
        ArrayNode titles = NODES.arrayNode();
        for (JsonNode option : oneOf) {
            if (!option.has("const")) {
                return;
            }
            values.add(option.get("const"));
            titles.add(option.path("title").asText(option.get("const").asText()));
        }
        schema.remove("oneOf");
        schema.set("enum", values);
        schema.with("options").set("enum_titles", titles);
        if (!schema.has("type")) {
            schema.put("type", values.get(0).isNumber() ? (values.get(0).isIntegralNumber() ? "integer" : "number")
                    : values.get(0).isBoolean() ? "boolean" : "string");
        }
    }

    /**
     * {@code allOf: [{if: {properties: {msgtype: {const: "text"}}}, then: {required: ["text"]}}]}
     * -> property {@code text} gets {@code options.dependencies: {msgtype: "text"}}.
     */
    private static void dependencies(ObjectNode schema, ObjectNode properties) {
        for (JsonNode rule : schema.path("allOf")) {
            JsonNode condition = rule.path("if").path("properties");
            if (!condition.isObject() || condition.size() != 1) {
                continue;
            }
            String field = condition.fieldNames().next();
            JsonNode value = condition.get(field).get("const");
            if (value == null) {
                continue;
            }
            for (JsonNode required : rule.path("then").path("required")) {
                JsonNode target = properties.get(required.asText());
                if (target instanceof ObjectNode targetSchema && !required.asText().equals(field)) {
                    JsonNode existing = targetSchema.path("options").path("dependencies").path(field);
                    ObjectNode dependencies = targetSchema.with("options").with("dependencies");
                    if (existing.isMissingNode()) {
                        dependencies.set(field, value);
                    } else {
                        ArrayNode any = existing.isArray() ? (ArrayNode) existing : NODES.arrayNode().add(existing);
                        any.add(value);
                        dependencies.set(field, any);
                    }
                }
            }
        }
    }
}
