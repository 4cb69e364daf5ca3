package dev.connectorruntime.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Turns an OpenAPI schema object (3.0's dialect or 3.1's JSON Schema) into a self-contained JSON Schema
 * draft 2020-12 the host compiles: references inlined (a recursive one is expanded once and then left
 * open), 3.0's {@code nullable}, {@code example} and boolean {@code exclusiveMinimum} rewritten,
 * OpenAPI-only keywords dropped, and {@code readOnly} properties left out of inputs
 * ({@code writeOnly} ones out of outputs).
 */
final class SchemaConverter {
    /** Where the schema is used: what the caller sends, or what the upstream answers. */
    enum Direction { INPUT, OUTPUT }

    /** How deep inlined references may nest before the schema is left open. */
    static final int MAX_DEPTH = 24;

    private static final Set<String> SUBSCHEMA = Set.of("items", "additionalProperties", "not", "if", "then", "else",
            "contains", "propertyNames", "unevaluatedItems", "unevaluatedProperties", "contentSchema");
    private static final Set<String> SUBSCHEMA_MAPS = Set.of("properties", "patternProperties", "$defs", "dependentSchemas");
    private static final Set<String> SUBSCHEMA_ARRAYS = Set.of("allOf", "anyOf", "oneOf", "prefixItems");
    private static final Set<String> PLAIN = Set.of("type", "enum", "const", "multipleOf", "maximum", "exclusiveMaximum",
            "minimum", "exclusiveMinimum", "maxLength", "minLength", "pattern", "maxItems", "minItems", "uniqueItems",
            "maxContains", "minContains", "maxProperties", "minProperties", "required", "dependentRequired", "title",
            "description", "default", "deprecated", "readOnly", "writeOnly", "examples", "format", "contentEncoding",
            "contentMediaType");
    /** The formats draft 2020-12 defines; an OpenAPI-only format (int64, password ...) is not asserted. */
    private static final Set<String> FORMATS = Set.of("date-time", "date", "time", "duration", "email", "idn-email",
            "hostname", "idn-hostname", "ipv4", "ipv6", "uri", "uri-reference", "iri", "iri-reference", "uuid",
            "uri-template", "json-pointer", "relative-json-pointer", "regex");

    private final OpenApiDocument document;
    private final Direction direction;
    private final Deque<String> expanding = new ArrayDeque<>();

    SchemaConverter(OpenApiDocument document, Direction direction) {
        this.document = document;
        this.direction = direction;
    }

    /** The converted schema; a missing schema accepts anything. */
    ObjectNode convert(JsonNode schema) {
        if (schema == null || schema.isMissingNode() || schema.isNull()) {
            return OpenApiDocument.JSON.createObjectNode();
        }
        if (schema.isBoolean()) {
            ObjectNode node = OpenApiDocument.JSON.createObjectNode();
            if (!schema.asBoolean()) {
                node.set("not", OpenApiDocument.JSON.createObjectNode());
            }
            return node;
        }
        if (!schema.isObject()) {
            throw new IllegalArgumentException(document.origin() + ": a schema must be an object: " + schema);
        }
        if (schema.has("$ref")) {
            return inline(schema);
        }
        return convertObject((ObjectNode) schema);
    }

    private ObjectNode inline(JsonNode schema) {
        String ref = schema.get("$ref").asText();
        if (expanding.contains(ref) || expanding.size() >= MAX_DEPTH) {
            ObjectNode open = OpenApiDocument.JSON.createObjectNode();
            open.put("description", name(ref) + " (nested again; its fields are not checked at this depth)");
            return open;
        }
        expanding.push(ref);
        try {
            ObjectNode target = convert(document.target(ref));
            if (!target.has("title") && !direction.equals(Direction.INPUT)) {
                target.put("title", name(ref));
            }
            // 3.1 allows keywords beside $ref (a description, say); they refine the target
            ObjectNode siblings = ((ObjectNode) schema).deepCopy();
            siblings.remove("$ref");
            if (!siblings.isEmpty()) {
                target.setAll(convertObject(siblings));
            }
            return target;
        } finally {
            expanding.pop();
        }
    }

    private ObjectNode convertObject(ObjectNode schema) {
        ObjectNode out = OpenApiDocument.JSON.createObjectNode();
        Iterator<Map.Entry<String, JsonNode>> fields = schema.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = field.getKey();
            JsonNode value = field.getValue();
            if (SUBSCHEMA.contains(key)) {
                out.set(key, value.isArray() ? arrayOfSchemas((ArrayNode) value) : convert(value));
            } else if (SUBSCHEMA_MAPS.contains(key) && value.isObject()) {
                ObjectNode map = out.putObject(key);
                value.fields().forEachRemaining(e -> map.set(e.getKey(), convert(e.getValue())));
            } else if (SUBSCHEMA_ARRAYS.contains(key) && value.isArray()) {
                out.set(key, arrayOfSchemas((ArrayNode) value));
            } else if (PLAIN.contains(key)) {
                out.set(key, value.deepCopy());
            }
        }
        if (schema.has("example") && !out.has("examples")) {
            // OpenAPI's own keyword (3.0; deprecated but allowed in 3.1)
            out.putArray("examples").add(schema.get("example").deepCopy());
        }
        if (!document.isV31()) {
            fromOpenApi30(schema, out);
        }
        fixFormat(out);
        dropOneWayProperties(out);
        return out;
    }

    private ArrayNode arrayOfSchemas(ArrayNode schemas) {
        ArrayNode out = OpenApiDocument.JSON.createArrayNode();
        schemas.forEach(s -> out.add(convert(s)));
        return out;
    }

    /** 3.0's own keywords in 2020-12 terms. */
    private static void fromOpenApi30(ObjectNode schema, ObjectNode out) {
        if (schema.path("nullable").asBoolean(false) && out.has("type") && out.get("type").isTextual()) {
            ArrayNode types = OpenApiDocument.JSON.createArrayNode().add(out.get("type").asText()).add("null");
            out.set("type", types);
            if (out.has("enum") && out.get("enum").isArray()) {
                ((ArrayNode) out.get("enum")).addNull();
            }
        }
        for (String bound : new String[] {"Minimum", "Maximum"}) {
            JsonNode exclusive = schema.get("exclusive" + bound);
            if (exclusive != null && exclusive.isBoolean()) {
                out.remove("exclusive" + bound);
                JsonNode limit = out.get(bound.toLowerCase());
                if (exclusive.asBoolean() && limit != null) {
                    out.remove(bound.toLowerCase());
                    out.set("exclusive" + bound, limit);
                }
            }
        }
    }

    /** Keeps formats 2020-12 asserts; binary and base64 content become {@code contentEncoding}; int32 becomes bounds. */
    private static void fixFormat(ObjectNode out) {
        JsonNode format = out.get("format");
        if (format == null) {
            return;
        }
        String name = format.asText();
        if (FORMATS.contains(name)) {
            return;
        }
        out.remove("format");
        switch (name) {
            case "binary", "byte" -> out.put("contentEncoding", "base64");
            case "int32" -> {
                if (!out.has("minimum") && !out.has("exclusiveMinimum")) {
                    out.put("minimum", Integer.MIN_VALUE);
                }
                if (!out.has("maximum") && !out.has("exclusiveMaximum")) {
                    out.put("maximum", Integer.MAX_VALUE);
                }
            }
            default -> { }
        }
    }

    /** An input never carries what the server sets (readOnly); an output never what only the client sends (writeOnly). */
    private void dropOneWayProperties(ObjectNode out) {
        JsonNode properties = out.get("properties");
        if (properties == null || !properties.isObject()) {
            return;
        }
        String oneWay = direction == Direction.INPUT ? "readOnly" : "writeOnly";
        Iterator<Map.Entry<String, JsonNode>> it = properties.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> property = it.next();
            if (property.getValue().path(oneWay).asBoolean(false)) {
                it.remove();
                JsonNode required = out.get("required");
                if (required != null && required.isArray()) {
                    for (int i = required.size() - 1; i >= 0; i--) {
                        if (required.get(i).asText().equals(property.getKey())) {
                            ((ArrayNode) required).remove(i);
                        }
                    }
                }
            }
        }
    }

    private static String name(String ref) {
        return ref.substring(ref.lastIndexOf('/') + 1);
    }
}
