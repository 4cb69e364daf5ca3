package dev.connectorruntime.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

/** The published documents in {@code src/test/resources/connectors/} and their translations. */
final class TestDocuments {
    static final List<String> CONNECTOR_FILES = List.of("petstore.connector.json", "museum.connector.json",
            "paypal.connector.json", "twilio.connector.json");
    static final String BEARER_DOCUMENT = "oai-non-oauth-scopes.openapi.json";

    private TestDocuments() {}

    static Path folder() {
        try {
            return Path.of(TestDocuments.class.getResource("/connectors").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static OpenApiCatalog catalog(String connectorFile) {
        return OpenApiCatalog.load(ConnectorFile.read(folder().resolve(connectorFile)));
    }

    static OpenApiCatalog bearerCatalog() {
        return OpenApiCatalog.load(ConnectorFile.forDocument(folder().resolve(BEARER_DOCUMENT)));
    }

    static List<OpenApiCatalog> all() {
        List<OpenApiCatalog> all = new java.util.ArrayList<>(CONNECTOR_FILES.stream().map(TestDocuments::catalog).toList());
        all.add(bearerCatalog());
        return all;
    }

    static ObjectNode action(OpenApiCatalog catalog, String id) {
        return catalog.actions().stream().filter(a -> a.get("id").asText().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no action " + id + " in " + catalog.actions().stream()
                        .map(a -> a.get("id").asText()).toList()));
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
