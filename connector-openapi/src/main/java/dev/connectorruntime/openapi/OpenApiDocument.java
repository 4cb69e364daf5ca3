package dev.connectorruntime.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * An OpenAPI 3.0 or 3.1 document as read (JSON or YAML), with its local {@code $ref}s resolvable.
 *
 * @param origin where it came from, for error messages
 */
record OpenApiDocument(JsonNode root, String origin) {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    OpenApiDocument {
        String version = root.path("openapi").asText("");
        if (!version.startsWith("3.0") && !version.startsWith("3.1")) {
            throw new IllegalArgumentException(origin + ": not an OpenAPI 3.0 or 3.1 document (openapi: '" + version + "')");
        }
    }

    static OpenApiDocument read(Path file) {
        return new OpenApiDocument(readTree(file), file.toString());
    }

    static OpenApiDocument parse(String text, String origin) {
        return new OpenApiDocument(parseTree(text, origin), origin);
    }

    /** Reads a JSON or YAML file (JSON when it starts with '{'). */
    static JsonNode readTree(Path file) {
        try {
            return parseTree(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static JsonNode parseTree(String text, String origin) {
        try {
            JsonNode tree = (text.stripLeading().startsWith("{") ? JSON : YAML).readTree(text);
            if (tree == null || !tree.isObject()) {
                throw new IllegalArgumentException(origin + ": not a JSON or YAML object");
            }
            return tree;
        } catch (IOException e) {
            throw new IllegalArgumentException(origin + ": cannot parse: " + e.getMessage(), e);
        }
    }

    /** True for 3.1 documents, whose schemas are JSON Schema 2020-12 already. */
    boolean isV31() {
        return root.path("openapi").asText().startsWith("3.1");
    }

    ObjectNode info() {
        return root.path("info").isObject() ? (ObjectNode) root.get("info") : JSON.createObjectNode();
    }

    /** Follows {@code $ref}s (local ones, {@code #/...}) until a node that is not a reference. */
    JsonNode resolve(JsonNode node) {
        Set<String> seen = new HashSet<>();
        JsonNode current = node;
        while (current != null && current.isObject() && current.has("$ref")) {
            String ref = current.get("$ref").asText();
            if (!seen.add(ref)) {
                throw new IllegalArgumentException(origin + ": $ref cycle at " + ref);
            }
            current = target(ref);
        }
        return current == null ? JSON.missingNode() : current;
    }

    /** The node a local reference points at. */
    JsonNode target(String ref) {
        if (!ref.startsWith("#")) {
            throw new IllegalArgumentException(origin + ": only references inside the document are supported: " + ref);
        }
        JsonNode target = root.at(ref.substring(1));
        if (target.isMissingNode()) {
            throw new IllegalArgumentException(origin + ": $ref points at nothing: " + ref);
        }
        return target;
    }
}
