package dev.connectorruntime.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connectorruntime.openapi.SchemaConverter.Direction;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One operation of a document as an action descriptor (the format of {@code schemas/README.md}, its
 * {@code http} binding extended with path and header fields, form and raw bodies).
 *
 * <p>The input is one object: each path, query and header parameter is a field named as in the
 * document, and an object request body adds its properties beside them (else it is the field
 * {@code body}). The output is the schema of the first 2xx response.
 */
final class OperationTranslator {
    static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch");
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    /** Headers OpenAPI says parameters may not describe: the binding and authentication set them. */
    private static final Set<String> RESERVED_HEADERS = Set.of("accept", "content-type", "authorization");
    /** Request bodies in order of preference. */
    private static final List<String> BODY_TYPES = List.of("application/json", "application/x-www-form-urlencoded",
            "multipart/form-data");
    static final String BODY_FIELD = "body";
    static final String NO_AUTH = "none";

    private final OpenApiDocument document;
    private final String connectorId;
    private final String securityScheme;
    private final boolean documentStatesSecurity;

    /**
     * @param securityScheme the scheme the connector authenticates with, or null when it uses none
     */
    OperationTranslator(OpenApiDocument document, String connectorId, String securityScheme) {
        this.document = document;
        this.connectorId = connectorId;
        this.securityScheme = securityScheme;
        this.documentStatesSecurity = statesSecurity(document);
    }

    private static boolean statesSecurity(OpenApiDocument document) {
        if (document.root().has("security")) {
            return true;
        }
        for (JsonNode pathItem : document.root().path("paths")) {
            for (String method : METHODS) {
                if (pathItem.path(method).has("security")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The id of an operation: its {@code operationId}, else method and path, in snake_case after the connector id. */
    String actionId(String method, String path, JsonNode operation) {
        String name = operation.hasNonNull("operationId") ? operation.get("operationId").asText() : method + " " + path;
        return connectorId + "." + snakeCase(name);
    }

    static String snakeCase(String name) {
        String words = name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replaceAll("([A-Z]+)([A-Z][a-z])", "$1_$2");
        String snake = words.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        return snake.isEmpty() ? "operation" : snake;
    }

    ObjectNode translate(String method, String path, JsonNode pathItem, JsonNode operation) {
        String upper = method.toUpperCase(Locale.ROOT);
        String id = actionId(method, path, operation);
        ObjectNode descriptor = OpenApiDocument.JSON.createObjectNode();
        descriptor.put("id", id);
        String summary = text(operation, "summary");
        String description = text(operation, "description");
        String title = summary != null ? summary : operation.hasNonNull("operationId") ? operation.get("operationId").asText()
                : upper + " " + path;
        descriptor.put("title", title);
        descriptor.put("titleEn", title);
        descriptor.put("description", description != null ? description : title);
        descriptor.put("category", operation.path("tags").path(0).asText("default"));
        String docUrl = operation.path("externalDocs").path("url").asText(null);
        if (docUrl != null) {
            descriptor.put("docUrl", docUrl);
        }
        descriptor.put("credential", credential(operation));
        descriptor.put("safeToRepeat", operation.has("x-safe-to-repeat")
                ? operation.get("x-safe-to-repeat").asBoolean() : SAFE_METHODS.contains(upper));

        ObjectNode http = descriptor.putObject("http");
        http.put("method", upper);
        http.put("path", path);
        ObjectNode input = OpenApiDocument.JSON.createObjectNode();
        input.put("type", "object");
        input.put("additionalProperties", false);
        ObjectNode properties = input.putObject("properties");
        ArrayNode required = input.putArray("required");
        Map<String, JsonNode> exampleValues = new LinkedHashMap<>();

        SchemaConverter inputs = new SchemaConverter(document, Direction.INPUT);
        for (JsonNode parameter : parameters(pathItem, operation)) {
            String in = parameter.path("in").asText();
            String name = parameter.path("name").asText();
            if (in.equals("header") && RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT)) || in.equals("cookie")) {
                continue; // set by the binding and authentication; cookies are not bound from input
            }
            if (properties.has(name)) {
                throw new IllegalArgumentException(document.origin() + ": " + upper + " " + path + ": two parameters named '"
                        + name + "'");
            }
            ObjectNode schema = parameterSchema(inputs, parameter);
            properties.set(name, schema);
            if (parameter.path("required").asBoolean(false) || in.equals("path")) {
                required.add(name);
            }
            switch (in) {
                case "query" -> addTo(http, "query", name);
                case "header" -> addTo(http, "headers", name);
                case "path" -> { }
                default -> throw new IllegalArgumentException(document.origin() + ": " + upper + " " + path
                        + ": parameter '" + name + "' in unknown location '" + in + "'");
            }
            JsonNode example = parameterExample(parameter, schema);
            if (example != null) {
                exampleValues.put(name, example);
            }
        }

        List<Map.Entry<String, JsonNode>> bodyExamples = body(operation, inputs, http, properties, required);
        if (required.isEmpty()) {
            input.remove("required");
        }
        descriptor.set("input", input);
        descriptor.set("output", output(operation));
        descriptor.set("examples", examples(input, exampleValues, bodyExamples, http));
        return descriptor;
    }

    /**
     * The scheme the operation authenticates with, or {@link #NO_AUTH}. An operation follows its own
     * {@code security}, else the document's; an empty list means none. A document that states no
     * requirement anywhere gets the connector's scheme on every operation.
     */
    private String credential(JsonNode operation) {
        if (securityScheme == null) {
            return NO_AUTH;
        }
        if (!documentStatesSecurity) {
            return securityScheme;
        }
        JsonNode security = operation.has("security") ? operation.get("security") : document.root().path("security");
        return security.isArray() && !security.isEmpty() ? securityScheme : NO_AUTH;
    }

    /** Path-item parameters, overridden by the operation's own of the same name and location. */
    private List<JsonNode> parameters(JsonNode pathItem, JsonNode operation) {
        Map<String, JsonNode> byKey = new LinkedHashMap<>();
        for (JsonNode source : List.of(pathItem.path("parameters"), operation.path("parameters"))) {
            for (JsonNode reference : source) {
                JsonNode parameter = document.resolve(reference);
                byKey.put(parameter.path("in").asText() + ":" + parameter.path("name").asText(), parameter);
            }
        }
        return new ArrayList<>(byKey.values());
    }

    private static ObjectNode parameterSchema(SchemaConverter inputs, JsonNode parameter) {
        JsonNode raw = parameter.has("schema") ? parameter.get("schema")
                : parameter.path("content").elements().hasNext() ? parameter.get("content").elements().next().path("schema") : null;
        ObjectNode schema = inputs.convert(raw);
        if (!schema.has("title")) {
            schema.put("title", parameter.path("name").asText());
        }
        if (parameter.hasNonNull("description")) {
            schema.put("description", parameter.get("description").asText());
        } else if (!schema.has("description")) {
            schema.put("description", parameter.path("in").asText() + " parameter " + parameter.path("name").asText());
        }
        if (parameter.path("deprecated").asBoolean(false)) {
            schema.put("deprecated", true);
        }
        ArrayNode examples = OpenApiDocument.JSON.createArrayNode();
        if (parameter.has("example")) {
            examples.add(parameter.get("example").deepCopy());
        }
        parameter.path("examples").forEach(e -> {
            if (e.has("value")) {
                examples.add(e.get("value").deepCopy());
            }
        });
        if (!examples.isEmpty()) {
            schema.set("examples", examples);
        }
        return schema;
    }

    private JsonNode parameterExample(JsonNode parameter, ObjectNode schema) {
        if (parameter.has("example")) {
            return parameter.get("example");
        }
        for (JsonNode example : parameter.path("examples")) {
            JsonNode value = document.resolve(example).get("value");
            if (value != null) {
                return value;
            }
        }
        if (schema.path("examples").isArray() && !schema.path("examples").isEmpty()) {
            return schema.get("examples").get(0);
        }
        return schema.get("default");
    }

    /**
     * Adds the request body to the input and binding; returns its named examples (name, value).
     * An object body without extra properties is flattened beside the parameters; anything else is
     * the field {@code body}.
     */
    private List<Map.Entry<String, JsonNode>> body(JsonNode operation, SchemaConverter inputs, ObjectNode http,
                                                   ObjectNode properties, ArrayNode required) {
        if (!operation.has("requestBody")) {
            http.put("body", "none");
            return List.of();
        }
        JsonNode requestBody = document.resolve(operation.get("requestBody"));
        JsonNode content = requestBody.path("content");
        String mediaType = chooseBodyType(content);
        if (mediaType == null) {
            return List.of();
        }
        JsonNode media = content.get(mediaType);
        boolean bodyRequired = requestBody.path("required").asBoolean(false);
        String encoding = encoding(mediaType);
        http.put("body", encoding);
        if (encoding.equals("raw")) {
            http.put("contentType", mediaType);
        }
        ObjectNode schema = inputs.convert(media.get("schema"));
        if (encoding.equals("raw")) {
            schema = rawBodySchema(mediaType, schema);
        }
        if (requestBody.hasNonNull("description") && !schema.has("description")) {
            schema.put("description", requestBody.get("description").asText());
        }
        if (flattens(schema, properties, encoding)) {
            schema.get("properties").fields().forEachRemaining(p -> {
                ObjectNode property = (ObjectNode) p.getValue();
                if (!property.has("title")) {
                    property.put("title", p.getKey());
                }
                properties.set(p.getKey(), property);
                if (encoding.equals("multipart") && !http.has("multipart")
                        && "base64".equals(property.path("contentEncoding").asText(null))) {
                    fileField(http, properties, p.getKey());
                }
            });
            if (bodyRequired) {
                schema.path("required").forEach(required::add);
            }
        } else {
            if (properties.has(BODY_FIELD)) {
                throw new IllegalArgumentException(document.origin() + ": a parameter is named '" + BODY_FIELD
                        + "' and the request body cannot be flattened");
            }
            if (!schema.has("title")) {
                schema.put("title", BODY_FIELD);
            }
            properties.set(BODY_FIELD, schema);
            http.put("bodyField", BODY_FIELD);
            if (bodyRequired) {
                required.add(BODY_FIELD);
            }
        }
        List<Map.Entry<String, JsonNode>> examples = mediaExamples(media);
        if (examples.isEmpty()) {
            ExampleComposer.compose(schema).ifPresent(value -> examples.add(Map.entry("example", value)));
        }
        return examples;
    }

    private static String chooseBodyType(JsonNode content) {
        for (String preferred : BODY_TYPES) {
            if (content.has(preferred)) {
                return preferred;
            }
        }
        Iterator<String> names = content.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (name.endsWith("+json")) {
                return name;
            }
        }
        names = content.fieldNames();
        return names.hasNext() ? names.next() : null;
    }

    private static String encoding(String mediaType) {
        if (mediaType.equals("application/json") || mediaType.endsWith("+json")) {
            return "json";
        }
        if (mediaType.equals("application/x-www-form-urlencoded")) {
            return "form";
        }
        if (mediaType.equals("multipart/form-data")) {
            return "multipart";
        }
        return "raw";
    }

    /** Any other media type is one string: text as is, anything else base64. */
    private static ObjectNode rawBodySchema(String mediaType, ObjectNode documented) {
        ObjectNode schema = OpenApiDocument.JSON.createObjectNode();
        schema.put("type", "string");
        if (!mediaType.startsWith("text/") && !mediaType.endsWith("xml")) {
            schema.put("contentEncoding", "base64");
        }
        schema.put("contentMediaType", mediaType);
        schema.put("title", BODY_FIELD);
        schema.put("description", documented.path("description").asText("The request body (" + mediaType + ")"));
        return schema;
    }

    /**
     * The multipart body's file: the part named as the field, its base64 content in the field, and
     * its file name in an optional field beside it ({@code <field>Filename}).
     */
    private static void fileField(ObjectNode http, ObjectNode properties, String field) {
        String filename = field + "Filename";
        http.putObject("multipart").put("part", field).put("content", field).put("filename", filename);
        properties.putObject(filename).put("type", "string").put("title", filename)
                .put("description", "The file name sent with " + field + " (default: file).");
    }

    private static boolean flattens(ObjectNode schema, ObjectNode parameters, String encoding) {
        if (encoding.equals("raw") || !schema.path("properties").isObject()) {
            return false;
        }
        JsonNode extra = schema.get("additionalProperties");
        if (extra != null && !(extra.isBoolean() && !extra.asBoolean())) {
            return false;
        }
        for (String composite : List.of("allOf", "anyOf", "oneOf", "not", "if", "patternProperties")) {
            if (schema.has(composite)) {
                return false;
            }
        }
        Iterator<String> names = schema.get("properties").fieldNames();
        while (names.hasNext()) {
            if (parameters.has(names.next())) {
                return false;
            }
        }
        return true;
    }

    /** The output: the first 2xx response's JSON schema (its examples kept); a response without a body is {}. */
    private ObjectNode output(JsonNode operation) {
        JsonNode responses = operation.path("responses");
        JsonNode response = null;
        List<String> codes = new ArrayList<>();
        responses.fieldNames().forEachRemaining(codes::add);
        for (String code : codes.stream().sorted().toList()) {
            if (code.startsWith("2")) {
                response = document.resolve(responses.get(code));
                break;
            }
        }
        ObjectNode schema;
        if (response == null || !response.path("content").elements().hasNext()) {
            schema = OpenApiDocument.JSON.createObjectNode();
            schema.put("type", "object");
            schema.put("description", response == null ? "The upstream's answer" : response.path("description").asText("No content"));
            return schema;
        }
        JsonNode content = response.get("content");
        String mediaType = outputMediaType(content);
        JsonNode media = content.get(mediaType);
        if (encoding(mediaType).equals("json")) {
            schema = new SchemaConverter(document, Direction.OUTPUT).convert(media.get("schema"));
            ArrayNode examples = OpenApiDocument.JSON.createArrayNode();
            mediaExamples(media).forEach(e -> examples.add(e.getValue()));
            if (!examples.isEmpty()) {
                schema.set("examples", examples);
            }
        } else {
            schema = OpenApiDocument.JSON.createObjectNode();
            schema.put("type", "object");
            ObjectNode props = schema.putObject("properties");
            props.putObject("contentType").put("type", "string").put("title", "contentType")
                    .put("description", "The media type of the answer (" + mediaType + ")");
            props.putObject("content").put("type", "string").put("title", "content")
                    .put("description", "The answer: text as is, anything else base64");
            schema.putArray("required").add("contentType").add("content");
        }
        if (!schema.has("description")) {
            schema.put("description", response.path("description").asText(""));
        }
        return schema;
    }

    private static String outputMediaType(JsonNode content) {
        Iterator<String> names = content.fieldNames();
        String first = null;
        while (names.hasNext()) {
            String name = names.next();
            first = first == null ? name : first;
            if (encoding(name).equals("json")) {
                return name;
            }
        }
        return first;
    }

    /** The named examples of a media type object: its {@code example}, else each of its {@code examples}. */
    private List<Map.Entry<String, JsonNode>> mediaExamples(JsonNode media) {
        List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
        if (media.has("example")) {
            out.add(Map.entry("example", media.get("example").deepCopy()));
        }
        media.path("examples").fields().forEachRemaining(e -> {
            JsonNode value = document.resolve(e.getValue()).get("value");
            if (value != null) {
                String summary = document.resolve(e.getValue()).path("summary").asText(e.getKey());
                out.add(Map.entry(summary, value.deepCopy()));
            }
        });
        if (out.isEmpty() && media.path("schema").isObject()) {
            JsonNode schema = document.resolve(media.get("schema"));
            if (schema.has("example")) {
                out.add(Map.entry("example", schema.get("example").deepCopy()));
            } else if (schema.path("examples").isArray() && !schema.get("examples").isEmpty()) {
                out.add(Map.entry("example", schema.get("examples").get(0).deepCopy()));
            }
        }
        return out;
    }

    /**
     * Complete inputs from the document's examples: the parameters' examples with each body example.
     * An example that lacks a required field is left out, never completed with invented values.
     */
    private static ArrayNode examples(ObjectNode input, Map<String, JsonNode> parameterValues,
                                      List<Map.Entry<String, JsonNode>> bodyExamples, ObjectNode http) {
        ArrayNode out = OpenApiDocument.JSON.createArrayNode();
        List<Map.Entry<String, JsonNode>> bodies = bodyExamples.isEmpty()
                ? List.of(Map.entry("example", OpenApiDocument.JSON.nullNode())) : bodyExamples;
        for (Map.Entry<String, JsonNode> body : bodies) {
            ObjectNode example = OpenApiDocument.JSON.createObjectNode();
            parameterValues.forEach((name, value) -> example.set(name, value.deepCopy()));
            if (!body.getValue().isNull()) {
                if (http.has("bodyField")) {
                    example.set(BODY_FIELD, body.getValue());
                } else if (body.getValue().isObject()) {
                    body.getValue().fields().forEachRemaining(f -> {
                        if (input.path("properties").has(f.getKey())) {
                            example.set(f.getKey(), f.getValue());
                        }
                    });
                }
            }
            boolean complete = true;
            for (JsonNode name : input.path("required")) {
                complete &= example.has(name.asText());
            }
            if (complete && (!example.isEmpty() || input.path("properties").isEmpty())) {
                out.addObject().put("title", body.getKey()).set("input", example);
            }
        }
        return out;
    }

    private static void addTo(ObjectNode http, String list, String name) {
        (http.has(list) ? (ArrayNode) http.get(list) : http.putArray(list)).add(name);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.asText().isBlank() ? null : value.asText().strip();
    }
}
