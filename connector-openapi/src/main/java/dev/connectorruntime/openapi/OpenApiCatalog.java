package dev.connectorruntime.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A connector file and its document, translated: the connector's titles, its categories (the
 * document's tags), one action descriptor per operation, how it authenticates and its connection form.
 *
 * @param categories tag name -> description, in the document's order
 * @param actions descriptors in the document's order of paths and methods
 * @param baseUrl the default base URL; a connection may override it
 */
record OpenApiCatalog(String id, String title, String titleEn, String description, String docUrl,
                      Map<String, String> categories, List<ObjectNode> actions, SecurityScheme security,
                      String baseUrl, ObjectNode connectionSchema) {

    static OpenApiCatalog load(ConnectorFile file) {
        return translate(file, OpenApiDocument.read(file.document()));
    }

    static OpenApiCatalog translate(ConnectorFile file, OpenApiDocument document) {
        String schemeName = file.securityScheme() != null ? file.securityScheme() : SecurityScheme.defaultScheme(document);
        SecurityScheme security = SecurityScheme.of(document, schemeName);
        OperationTranslator translator = new OperationTranslator(document, file.id(),
                security.kind() == SecurityScheme.Kind.NONE ? null : schemeName);

        List<ObjectNode> actions = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        Map<String, String> categories = new LinkedHashMap<>();
        document.root().path("tags").forEach(tag -> categories.put(tag.path("name").asText(), tag.path("description").asText("")));
        document.root().path("paths").fields().forEachRemaining(path -> {
            JsonNode pathItem = document.resolve(path.getValue());
            pathItem.fieldNames().forEachRemaining(method -> {
                if (!OperationTranslator.METHODS.contains(method)) {
                    return;
                }
                ObjectNode action = translator.translate(method, path.getKey(), pathItem, pathItem.get(method));
                if (!ids.add(action.get("id").asText())) {
                    throw new IllegalArgumentException(document.origin() + ": two operations have the action id '"
                            + action.get("id").asText() + "'");
                }
                categories.putIfAbsent(action.get("category").asText(), "");
                actions.add(action);
            });
        });
        ObjectNode info = document.info();
        String title = file.title() != null ? file.title() : info.path("title").asText(file.id());
        String description = file.description() != null ? file.description()
                : info.path("description").asText(info.path("summary").asText(title)).strip();
        String docUrl = file.docUrl() != null ? file.docUrl() : document.root().path("externalDocs").path("url").asText(null);
        String baseUrl = file.baseUrl() != null ? file.baseUrl() : serverUrl(document);
        ObjectNode connectionSchema = ConnectionSchema.of(file.id(), title, security, baseUrl);
        return new OpenApiCatalog(file.id(), title, file.titleEn() != null ? file.titleEn() : title, description, docUrl,
                categories, actions, security, baseUrl, connectionSchema);
    }

    /** The document's first server URL with its variables at their defaults, or null when it names none. */
    static String serverUrl(OpenApiDocument document) {
        JsonNode server = document.root().path("servers").path(0);
        if (!server.hasNonNull("url")) {
            return null;
        }
        String url = server.get("url").asText();
        var variables = server.path("variables").fields();
        while (variables.hasNext()) {
            var variable = variables.next();
            url = url.replace("{" + variable.getKey() + "}", variable.getValue().path("default").asText());
        }
        return url;
    }
}
