package dev.connectorruntime.spi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One tenant's connection to an upstream service: where it is, its settings and its secrets.
 *
 * @param name the name calls use to pick this connection
 * @param baseUrl the upstream base URL (the sandbox's, in tests)
 * @param properties connector-specific settings (for WeCom: {@code corpId}, {@code agentId})
 * @param secrets secret kind -> secret (for WeCom: app, contact, externalcontact, school)
 * @param http timeouts and proxy for this connection's calls
 * @param callbacks callback kind -> its secrets for inbound callbacks (for WeCom: {@code token},
 *     {@code encodingAesKey} per kind {@code app}, {@code contact}, ...)
 */
public record Connection(
        String name,
        URI baseUrl,
        ObjectNode properties,
        Map<String, Secret> secrets,
        HttpSettings http,
        Map<String, Map<String, Secret>> callbacks) {

    public Connection {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(baseUrl, "baseUrl");
        properties = properties == null ? JsonNodeFactory.instance.objectNode() : properties.deepCopy();
        secrets = secrets == null ? Map.of() : Map.copyOf(secrets);
        http = http == null ? HttpSettings.DEFAULTS : http;
        callbacks = callbacks == null ? Map.of() : callbacks.entrySet().stream()
                .collect(java.util.stream.Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> Map.copyOf(e.getValue())));
    }

    /** A connection that receives no callbacks. */
    public Connection(String name, URI baseUrl, ObjectNode properties, Map<String, Secret> secrets, HttpSettings http) {
        this(name, baseUrl, properties, secrets, http, Map.of());
    }

    /** A secret of one callback kind ({@code callbackSecret("app", "token")}), if configured. */
    public Optional<Secret> callbackSecret(String kind, String name) {
        return Optional.ofNullable(callbacks.getOrDefault(kind, Map.of()).get(name)).filter(s -> !s.isBlank());
    }

    /** A connector-specific setting, if present and not null. */
    public Optional<JsonNode> property(String key) {
        JsonNode value = properties.get(key);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value.deepCopy());
    }

    public Optional<Secret> secret(String kind) {
        return Optional.ofNullable(secrets.get(kind)).filter(s -> !s.isBlank());
    }

    /**
     * Timeouts and proxy of a connection.
     *
     * @param proxy {@code http://host:port}, or null for a direct connection
     */
    public record HttpSettings(Duration connectTimeout, Duration responseTimeout, URI proxy) {
        public static final HttpSettings DEFAULTS = new HttpSettings(null, null, null);

        public HttpSettings {
            connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
            responseTimeout = responseTimeout == null ? Duration.ofSeconds(30) : responseTimeout;
        }
    }
}
