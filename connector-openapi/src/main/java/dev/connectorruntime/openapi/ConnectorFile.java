package dev.connectorruntime.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;

/**
 * The few facts a document does not say: which connector it is and how to reach it. A file
 * {@code <name>.connector.json} (or {@code .yaml}) beside the document:
 *
 * <pre>{"id": "petstore", "document": "petstore.openapi.yaml", "title": "宠物商店", "titleEn": "Pet Store",
 *  "securityScheme": "api_key", "baseUrl": "https://petstore3.swagger.io/api/v3"}</pre>
 *
 * @param id the connector id ({@code [a-z][a-z0-9_-]*}); it prefixes every action id
 * @param document the OpenAPI document, relative to this file
 * @param title the palette title; default: the document's {@code info.title}
 * @param titleEn the English title; default: the title
 * @param description default: the document's {@code info.description}
 * @param securityScheme the {@code components.securitySchemes} entry to authenticate with; default: the
 *     first one the document's top-level {@code security} names, else none
 * @param baseUrl default: the document's first server URL (variables at their defaults)
 * @param docUrl the API's documentation; default: the document's {@code externalDocs.url}
 */
record ConnectorFile(String id, Path document, String title, String titleEn, String description,
                     String securityScheme, String baseUrl, String docUrl) {

    static final String SUFFIX_JSON = ".connector.json";
    static final String SUFFIX_YAML = ".connector.yaml";

    ConnectorFile {
        if (id == null || !id.matches("[a-z][a-z0-9_-]*")) {
            throw new IllegalArgumentException("connector id must match [a-z][a-z0-9_-]*: " + id);
        }
    }

    static boolean isConnectorFile(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(SUFFIX_JSON) || name.endsWith(SUFFIX_YAML) || name.endsWith(".connector.yml");
    }

    static ConnectorFile read(Path file) {
        JsonNode node = OpenApiDocument.readTree(file);
        String document = text(node, "document");
        if (document == null) {
            throw new IllegalArgumentException(file + ": missing 'document' (the OpenAPI document, relative to this file)");
        }
        Path dir = file.toAbsolutePath().getParent();
        return new ConnectorFile(text(node, "id"), dir.resolve(document).normalize(), text(node, "title"),
                text(node, "titleEn"), text(node, "description"), text(node, "securityScheme"), text(node, "baseUrl"),
                text(node, "docUrl"));
    }

    /** A document given alone: its id from the file name, everything else from the document. */
    static ConnectorFile forDocument(Path document) {
        String name = document.getFileName().toString().replaceAll("\\.(openapi\\.)?(json|ya?ml)$", "");
        String id = name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_-]+", "-").replaceAll("^[^a-z]+", "");
        return new ConnectorFile(id.isEmpty() ? "openapi" : id, document.toAbsolutePath().normalize(),
                null, null, null, null, null, null);
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }
}
