package dev.connectorruntime.spi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads a connector's catalog from its resources: {@code <base>/connector.json},
 * {@code <base>/connection.schema.json}, {@code <base>/demo.json} (optional), one descriptor per
 * file in {@code <base>/actions/} and one trigger per file in {@code <base>/triggers/} (optional).
 * Actions and triggers are ordered by category (as listed in connector.json), then by file name.
 */
public final class CatalogResources {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ConnectorInfo info;
    private final List<ActionDescriptor> actions;
    private final ObjectNode connectionSchema;
    private final ObjectNode demo;
    private final List<TriggerDescriptor> triggers;

    private CatalogResources(ConnectorInfo info, List<ActionDescriptor> actions, List<TriggerDescriptor> triggers,
            ObjectNode connectionSchema, ObjectNode demo) {
        this.info = info;
        this.actions = List.copyOf(actions);
        this.triggers = List.copyOf(triggers);
        this.connectionSchema = connectionSchema;
        this.demo = demo;
    }

    /** Loads the catalog under {@code base} (e.g. {@code schemas/wecom}) through {@code loader}. */
    public static CatalogResources load(ClassLoader loader, String base) {
        ObjectNode connector = (ObjectNode) read(loader, base + "/connector.json")
                .orElseThrow(() -> new IllegalStateException("missing resource " + base + "/connector.json"));
        ConnectorInfo info = info(connector, base + "/connector.json");
        Map<String, Integer> categoryOrder = new LinkedHashMap<>();
        info.categories().forEach(c -> categoryOrder.put(c.id(), categoryOrder.size()));

        List<ActionDescriptor> actions = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (String file : listJson(loader, base + "/actions")) {
            String resource = base + "/actions/" + file;
            ObjectNode node = (ObjectNode) read(loader, resource).orElseThrow();
            ActionDescriptor action = descriptor(node, resource);
            if (!file.equals(action.id() + ".json")) {
                throw new IllegalStateException(resource + ": id '" + action.id() + "' does not match the file name");
            }
            if (!categoryOrder.containsKey(action.category())) {
                throw new IllegalStateException(resource + ": unknown category '" + action.category() + "'");
            }
            if (!action.credential().equals(ActionDescriptor.ANY_CREDENTIAL) && !action.credential().equals(ActionDescriptor.NO_CREDENTIAL)
                    && info.credential(action.credential()).isEmpty()) {
                throw new IllegalStateException(resource + ": credential '" + action.credential() + "' is none of the connector's "
                        + "credential kinds " + info.credentials().stream().map(ConnectorInfo.CredentialKind::kind).toList()
                        + " (nor 'any', 'none')");
            }
            ids.add(action.id());
            actions.add(action);
        }
        actions.sort((a, b) -> {
            int byCategory = Integer.compare(categoryOrder.get(a.category()), categoryOrder.get(b.category()));
            return byCategory != 0 ? byCategory : a.id().compareTo(b.id());
        });
        List<TriggerDescriptor> triggers = new ArrayList<>();
        for (String file : listJson(loader, base + "/triggers")) {
            String resource = base + "/triggers/" + file;
            TriggerDescriptor trigger = trigger((ObjectNode) read(loader, resource).orElseThrow(), resource);
            if (!file.equals(trigger.id() + ".json")) {
                throw new IllegalStateException(resource + ": id '" + trigger.id() + "' does not match the file name");
            }
            if (!categoryOrder.containsKey(trigger.category())) {
                throw new IllegalStateException(resource + ": unknown category '" + trigger.category() + "'");
            }
            triggers.add(trigger);
        }
        triggers.sort((a, b) -> {
            int byCategory = Integer.compare(categoryOrder.get(a.category()), categoryOrder.get(b.category()));
            return byCategory != 0 ? byCategory : a.id().compareTo(b.id());
        });
        ObjectNode connectionSchema = (ObjectNode) read(loader, base + "/connection.schema.json")
                .orElseGet(JSON::createObjectNode);
        ObjectNode demo = (ObjectNode) read(loader, base + "/demo.json").orElse(null);
        return new CatalogResources(info, actions, triggers, connectionSchema, demo);
    }

    /** Parses one trigger descriptor file's content. */
    public static TriggerDescriptor trigger(ObjectNode node, String origin) {
        try {
            JsonNode match = required(node, "match", origin);
            List<TriggerDescriptor.Example> examples = new ArrayList<>();
            node.path("examples").forEach(e -> examples.add(
                    new TriggerDescriptor.Example(text(e, "title"), text(e, "raw"), e.get("event"))));
            return new TriggerDescriptor(
                    required(node, "id", origin).asText(),
                    required(node, "title", origin).asText(),
                    text(node, "titleEn"),
                    text(node, "description"),
                    required(node, "category", origin).asText(),
                    required(node, "callbackKind", origin).asText(),
                    new TriggerDescriptor.Match(text(match, "msgType"), text(match, "event"), text(match, "changeType")),
                    (ObjectNode) required(node, "schema", origin),
                    examples,
                    node);
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new IllegalStateException(origin + ": invalid trigger descriptor: " + e.getMessage(), e);
        }
    }

    public ConnectorInfo info() {
        return info;
    }

    public List<ActionDescriptor> actions() {
        return actions;
    }

    /** Every trigger, in palette order. */
    public List<TriggerDescriptor> triggers() {
        return triggers;
    }

    public ObjectNode connectionSchema() {
        return connectionSchema.deepCopy();
    }

    public Optional<JsonNode> demo() {
        return Optional.ofNullable(demo).map(ObjectNode::deepCopy);
    }

    /**
     * Binds one descriptor file's content (Jackson, into the typed records), checked as it is read:
     * a missing or misspelt field, an unknown method, body or paging style fails with its location.
     */
    public static ActionDescriptor descriptor(ObjectNode node, String origin) {
        return bind(node, ActionDescriptor.class, origin, "invalid descriptor").withSource(node);
    }

    /** Binds a connector file's content (connector.json), checked as {@link #descriptor} checks a descriptor. */
    public static ConnectorInfo info(ObjectNode node, String origin) {
        return bind(node, ConnectorInfo.class, origin, "invalid connector");
    }

    /** Binds {@code node} to {@code type}; failures name the origin and the JSON Pointer of the bad field. */
    private static <T> T bind(JsonNode node, Class<T> type, String origin, String what) {
        try {
            return JSON.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            String pointer = e instanceof JsonMappingException mapping ? pointer(mapping.getPath()) : "";
            Throwable cause = e.getCause() != null && e instanceof ValueInstantiationException ? e.getCause() : null;
            String message = cause != null && cause.getMessage() != null ? cause.getMessage() : e.getOriginalMessage();
            throw new IllegalStateException(origin + ": " + what + (pointer.isEmpty() ? "" : " at " + pointer) + ": "
                    + message.lines().findFirst().orElse(message), e);
        }
    }

    private static String pointer(List<JsonMappingException.Reference> path) {
        StringBuilder pointer = new StringBuilder();
        for (JsonMappingException.Reference reference : path) {
            pointer.append('/').append(reference.getFieldName() != null ? reference.getFieldName() : reference.getIndex());
        }
        return pointer.toString();
    }

    private static JsonNode required(JsonNode node, String field, String origin) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalStateException(origin + ": missing '" + field + "'");
        }
        return value;
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }

    private static Optional<JsonNode> read(ClassLoader loader, String resource) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            return in == null ? Optional.empty() : Optional.of(JSON.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    /** File names of the JSON resources in a resource folder, from a directory or a jar. */
    private static List<String> listJson(ClassLoader loader, String folder) {
        URL url = loader.getResource(folder);
        if (url == null) {
            return List.of();
        }
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                FileSystem fs;
                try {
                    fs = FileSystems.getFileSystem(uri);
                } catch (FileSystemNotFoundException e) {
                    fs = FileSystems.newFileSystem(uri, Map.of());
                }
                return names(fs.getPath(folder));
            }
            return names(Path.of(uri));
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("cannot list " + folder + " at " + url, e);
        }
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted().toList();
        }
    }
}
