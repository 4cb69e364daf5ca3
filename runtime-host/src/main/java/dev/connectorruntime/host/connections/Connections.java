package dev.connectorruntime.host.connections;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import dev.connectorruntime.host.format.Json;
import dev.connectorruntime.host.pipeline.InputValidator;
import dev.connectorruntime.spi.ActionError;
import dev.connectorruntime.spi.ActionException;
import dev.connectorruntime.spi.Connection;
import dev.connectorruntime.spi.ErrorCode;
import dev.connectorruntime.spi.FieldError;
import dev.connectorruntime.spi.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Named connections. A connection is given as JSON (a file, the environment, or the Java API):
 * {@code name}, {@code connector}, {@code baseUrl}, {@code secrets}, {@code connectTimeoutMs},
 * {@code responseTimeoutMs}, {@code proxy}, {@code rateLimitPerSecond} and {@code actionRateLimitPerMinute}
 * are understood by the host; every other field is a
 * connector setting (for WeCom: {@code corpId}, {@code agentId}). Each is checked against its
 * connector's connection schema, whose {@code default}s fill what is left out.
 */
public final class Connections {
    public static final String DEFAULT_NAME = "default";
    private static final Set<String> HOST_FIELDS = Set.of("name", "connector", "baseUrl", "secrets", "connectTimeoutMs", "responseTimeoutMs", "proxy", "rateLimitPerSecond",
            "actionRateLimitPerMinute");

    /**
     * A connection and its client-side rate limits: calls per second for the whole connection (0 =
     * none), and calls per minute per action when it overrides the catalog's (null = the catalog's; 0 = none).
     */
    public record Entry(Connection connection, double rateLimitPerSecond, Integer actionRateLimitPerMinute) {}

    private final Map<String, Entry> byName = new ConcurrentHashMap<>();
    private final Map<String, Schema> schemas;
    private final Map<String, JsonNode> rawSchemas;
    private volatile String defaultName;

    /** @param schemas connector id -> (compiled, raw) connection schema */
    public Connections(Map<String, Schema> schemas, Map<String, JsonNode> rawSchemas) {
        this.schemas = Map.copyOf(schemas);
        this.rawSchemas = Map.copyOf(rawSchemas);
    }

    /** Adds or replaces a connection; the first one added becomes the default. Returns its name. */
    public String add(JsonNode json) throws ActionException {
        Entry entry = parse(json);
        Connection connection = entry.connection();
        byName.put(connection.name(), entry);
        if (defaultName == null) {
            defaultName = connection.name();
        }
        return connection.name();
    }

    public void setDefault(String name) {
        defaultName = name;
    }

    public Entry resolve(String name) throws ActionException {
        String wanted = name == null || name.isBlank() ? defaultName : name;
        Entry connection = wanted == null ? null : byName.get(wanted);
        if (connection == null) {
            throw new ActionException(ActionError.of(ErrorCode.INVALID_CONNECTION, wanted == null
                    ? "No connection is configured (give --connection <file>, CONNECTION_* environment variables, or use the sandbox)"
                    : "Unknown connection '" + wanted + "'; configured: " + byName.keySet()));
        }
        return connection;
    }

    public String defaultName() {
        return defaultName;
    }

    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    private Entry parse(JsonNode input) throws ActionException {
        if (!(input instanceof ObjectNode given)) {
            throw new ActionException(ActionError.of(ErrorCode.INVALID_CONNECTION, "A connection must be a JSON object"));
        }
        String connector = given.path("connector").asText(schemas.size() == 1 ? schemas.keySet().iterator().next() : "");
        Schema schema = schemas.get(connector);
        if (schema == null) {
            throw new ActionException(ActionError.of(ErrorCode.INVALID_CONNECTION,
                    "Connection names no known connector ('connector' must be one of " + schemas.keySet() + ")"));
        }
        ObjectNode json = withDefaults(given, rawSchemas.get(connector));
        List<FieldError> errors = InputValidator.validate(schema, json, Locale.ENGLISH);
        if (!errors.isEmpty()) {
            throw new ActionException(new ActionError(ErrorCode.INVALID_CONNECTION,
                    "Connection '" + json.path("name").asText(DEFAULT_NAME) + "' is invalid: " + errors.get(0).message(),
                    errors, null, null, null, false));
        }
        ObjectNode properties = Json.MAPPER.createObjectNode();
        Iterator<Map.Entry<String, JsonNode>> fields = json.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!HOST_FIELDS.contains(field.getKey())) {
                properties.set(field.getKey(), field.getValue());
            }
        }
        Map<String, Secret> secrets = new LinkedHashMap<>();
        json.path("secrets").fields().forEachRemaining(e -> secrets.put(e.getKey(), Secret.of(e.getValue().asText())));
        Connection.HttpSettings http = new Connection.HttpSettings(
                json.has("connectTimeoutMs") ? Duration.ofMillis(json.get("connectTimeoutMs").asLong()) : null,
                json.has("responseTimeoutMs") ? Duration.ofMillis(json.get("responseTimeoutMs").asLong()) : null,
                json.hasNonNull("proxy") ? URI.create(json.get("proxy").asText()) : null);
        return new Entry(new Connection(json.path("name").asText(DEFAULT_NAME), URI.create(json.path("baseUrl").asText()),
                properties, secrets, http), json.path("rateLimitPerSecond").asDouble(0),
                json.hasNonNull("actionRateLimitPerMinute") ? json.get("actionRateLimitPerMinute").asInt() : null);
    }

    private static ObjectNode withDefaults(ObjectNode given, JsonNode schema) {
        ObjectNode json = given.deepCopy();
        schema.path("properties").fields().forEachRemaining(p -> {
            if (!json.has(p.getKey()) && p.getValue().has("default")) {
                json.set(p.getKey(), p.getValue().get("default").deepCopy());
            }
        });
        return json;
    }

}
