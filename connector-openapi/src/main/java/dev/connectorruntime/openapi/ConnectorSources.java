package dev.connectorruntime.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Picks this plugin's files among the host's connector sources: every connector file, and every
 * OpenAPI document no connector file names (it becomes a connector of its own, with defaults).
 */
final class ConnectorSources {
    private ConnectorSources() {}

    static List<ConnectorFile> select(List<Path> files) {
        List<ConnectorFile> selected = new ArrayList<>();
        Set<Path> named = new LinkedHashSet<>();
        for (Path file : files) {
            if (ConnectorFile.isConnectorFile(file)) {
                ConnectorFile connector = ConnectorFile.read(file);
                selected.add(connector);
                named.add(connector.document());
            }
        }
        for (Path file : files) {
            if (!ConnectorFile.isConnectorFile(file) && isDocument(file) && !named.contains(file.toAbsolutePath().normalize())) {
                selected.add(ConnectorFile.forDocument(file));
            }
        }
        return selected;
    }

    /** A JSON or YAML file whose top level says {@code openapi: 3.x}. */
    private static boolean isDocument(Path file) {
        String name = file.getFileName().toString();
        if (!name.endsWith(".json") && !name.endsWith(".yaml") && !name.endsWith(".yml")) {
            return false;
        }
        JsonNode root;
        try {
            root = OpenApiDocument.readTree(file);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return root.path("openapi").asText("").startsWith("3.");
    }
}
