package dev.connectorruntime.host.connections;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.util.concurrent.RateLimiter;
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
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Consumer;

/**
 * Named connections. A connection is given as JSON (a file, the environment, or the Java API):
 * {@code name}, {@code connector}, {@code baseUrl}, {@code secrets}, {@code callbacks}, {@code connectTimeoutMs},
 * {@code responseTimeoutMs}, {@code proxy}, {@code rateLimitPerSecond} and {@code actionRateLimitPerMinute}
 * are understood by the host; every other field is a
 * connector setting (for WeCom: {@code corpId}, {@code agentId}). Each is checked against its
 * connector's connection schema, whose {@code default}s fill what is left out.
 */
public final class Connections {
    public static final String DEFAULT_NAME = "default";
    private static final Set<String> HOST_FIELDS = Set.of("name", "connector", "baseUrl", "secrets", "callbacks", "connectTimeoutMs", "responseTimeoutMs", "proxy", "rateLimitPerSecond",
            "actionRateLimitPerMinute");

    /**
     * One connection as calls use it: the connector it belongs to, its settings, its client-side rate limits (calls per second for
     * the whole connection, 0 = none; calls per minute per action when it overrides the catalog's,
     * null = the catalog's, 0 = none), this host's limiters for it, and the calls running on it.
     *
     * <p>A removed or replaced entry is retired: calls that already hold it finish on it, and once the
     * last one is done, what the connection held elsewhere (tokens, tickets, derived keys) is released.
     */
    public static final class Entry {
        private static final AtomicIntegerFieldUpdater<Entry> STATE = AtomicIntegerFieldUpdater.newUpdater(Entry.class, "state");
        private static final int RETIRED = 1;
        private static final int ONE_CALL = 2;

        private final String connector;
        private final Connection connection;
        private final double rateLimitPerSecond;
        private final Integer actionRateLimitPerMinute;
        /** Where a read-only connection comes from (a file, the environment); null when it is managed. */
        private String source;
        /** The version of a managed connection in the store (0: not stored). */
        private long version;
        /** Calls in flight times two, plus one once retired. */
        private volatile int state;
        private volatile Consumer<Entry> onRetired;
        private volatile RateLimiter connectionLimiter;
        private volatile ConcurrentHashMap<String, RateLimiter> actionLimiters;

        Entry(String connector, Connection connection, double rateLimitPerSecond, Integer actionRateLimitPerMinute) {
            this.connector = connector;
            this.connection = connection;
            this.rateLimitPerSecond = rateLimitPerSecond;
            this.actionRateLimitPerMinute = actionRateLimitPerMinute;
        }

        /** The id of the connector this connection belongs to. */
        public String connector() {
            return connector;
        }

        public Connection connection() {
            return connection;
        }

        /** Where a read-only connection comes from ({@code file acme.json}, {@code environment}); empty when managed. */
        public Optional<String> source() {
            return Optional.ofNullable(source);
        }

        public long version() {
            return version;
        }

        /** The connection as GET shows it: its settings and which secret kinds it has, never a secret. */
        public ObjectNode describe() {
            ObjectNode out = Json.MAPPER.createObjectNode();
            out.put("name", connection.name());
            out.put("baseUrl", connection.baseUrl().toString());
            out.setAll(connection.properties());
            out.set("secretKinds", Json.MAPPER.valueToTree(List.copyOf(connection.secrets().keySet())));
            out.put("connectTimeoutMs", connection.http().connectTimeout().toMillis());
            out.put("responseTimeoutMs", connection.http().responseTimeout().toMillis());
            if (connection.http().proxy() != null) {
                out.put("proxy", connection.http().proxy().toString());
            }
            out.put("rateLimitPerSecond", rateLimitPerSecond);
            if (actionRateLimitPerMinute != null) {
                out.put("actionRateLimitPerMinute", actionRateLimitPerMinute);
            }
            out.put("source", source == null ? "managed" : source);
            return out;
        }

        public double rateLimitPerSecond() {
            return rateLimitPerSecond;
        }

        public Integer actionRateLimitPerMinute() {
            return actionRateLimitPerMinute;
        }

        /** This host's limiter of the whole connection, made on first use. */
        public RateLimiter connectionLimiter() {
            RateLimiter limiter = connectionLimiter;
            if (limiter == null) {
                synchronized (this) {
                    if (connectionLimiter == null) {
                        connectionLimiter = RateLimiter.create(rateLimitPerSecond);
                    }
                    limiter = connectionLimiter;
                }
            }
            return limiter;
        }

        /** This host's limiter of one action on this connection, made on first use. */
        public RateLimiter actionLimiter(String action, double perSecond) {
            ConcurrentHashMap<String, RateLimiter> limiters = actionLimiters;
            if (limiters == null) {
                synchronized (this) {
                    if (actionLimiters == null) {
                        actionLimiters = new ConcurrentHashMap<>(4);
                    }
                    limiters = actionLimiters;
                }
            }
            return limiters.computeIfAbsent(action, a -> RateLimiter.create(perSecond));
        }

        /** Whether the connection's credentials (where it goes, as whom) are those of {@code other}. */
        boolean sameCredentials(Entry other) {
            return connector.equals(other.connector) && connection.baseUrl().equals(other.connection.baseUrl()) && connection.properties().equals(other.connection.properties())
                    && connection.secrets().equals(other.connection.secrets());
        }

        private void enter() {
            STATE.addAndGet(this, ONE_CALL);
        }

        /** A call on this entry is done. */
        public void exit() {
            if (STATE.addAndGet(this, -ONE_CALL) == RETIRED) {
                release();
            }
        }

        /** No new call will find this entry; {@code release} runs once no call holds it (null: nothing to release). */
        private void retire(Consumer<Entry> release) {
            onRetired = release;
            if (STATE.addAndGet(this, RETIRED) == RETIRED) {
                release();
            }
        }

        /** Idempotent: a late call that entered after retirement releases again when it is done. */
        private void release() {
            Consumer<Entry> release = onRetired;
            if (release != null) {
                release.accept(this);
            }
        }
    }

    private final Map<String, Entry> byName = new ConcurrentHashMap<>();
    private final Map<String, Schema> schemas;
    private final Map<String, JsonNode> rawSchemas;
    private final Consumer<Entry> release;
    private volatile String defaultName;

    /**
     * @param schemas connector id -> (compiled, raw) connection schema
     * @param release frees what a connection held outside this registry (its connector's tokens and
     *     tickets), once it is removed or its credentials replaced and no call runs on it any more
     */
    public Connections(Map<String, Schema> schemas, Map<String, JsonNode> rawSchemas, Consumer<Entry> release) {
        this.schemas = Map.copyOf(schemas);
        this.rawSchemas = Map.copyOf(rawSchemas);
        this.release = release;
    }

    /** Adds or replaces a connection; the first one added becomes the default. Returns its name. */
    public String add(JsonNode json) throws ActionException {
        return put(parse(json));
    }

    /**
     * Adds or replaces a connection, noting where it comes from.
     *
     * @param source a read-only connection's origin ({@code file acme.json}); null for a managed one
     * @param version a managed connection's version in the store (0: not stored)
     */
    public String add(JsonNode json, String source, long version) throws ActionException {
        Entry entry = parse(json);
        entry.source = source;
        entry.version = version;
        return put(entry);
    }

    /** The connection of that name, if there is one (no error naming it). */
    public Optional<Entry> find(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(byName.get(name));
    }

    /** Checks a connection as {@link #add} would, without adding it. */
    public Entry check(JsonNode json) throws ActionException {
        return parse(json);
    }


    private String put(Entry entry) {
        String name = entry.connection().name();
        Entry previous = byName.put(name, entry);
        if (previous != null) {
            previous.retire(previous.sameCredentials(entry) ? null : release);
        }
        if (defaultName == null) {
            defaultName = name;
        }
        return name;
    }

    /** Removes a connection; calls already running on it finish on it. Returns whether there was one. */
    public boolean remove(String name) {
        Entry previous = name == null ? null : byName.remove(name);
        if (previous == null) {
            return false;
        }
        if (name.equals(defaultName)) {
            defaultName = null;
        }
        previous.retire(release);
        return true;
    }

    public void setDefault(String name) {
        defaultName = name;
    }

    public Entry resolve(String name) throws ActionException {
        String wanted = name == null || name.isBlank() ? defaultName : name;
        Entry connection = wanted == null ? null : byName.get(wanted);
        if (connection == null) {
            throw wanted == null
                    ? new ActionException(ActionError.of(ErrorCode.INVALID_CONNECTION,
                            "No connection is configured (give --connection <file>, CONNECTION_* environment variables, or use the sandbox)"))
                    : unknown(wanted);
        }
        return connection;
    }

    public String defaultName() {
        return defaultName;
    }

    /** Resolves the connection for a call, which must {@link Entry#exit()} it when done. */
    public Entry enter(String name) throws ActionException {
        Entry entry = resolve(name);
        entry.enter();
        return entry;
    }

    /** Names only the connection asked for: one tenant never learns another's. */
    public static ActionException unknown(String name) {
        return new ActionException(ActionError.of(ErrorCode.INVALID_CONNECTION, "Unknown connection '" + name + "'"));
    }

    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    public int size() {
        return byName.size();
    }

    private Entry parse(JsonNode input) throws ActionException {
        if (!(input instanceof ObjectNode given)) {
            throw new ActionException(ActionError.of(ErrorCode.INVALID_CONNECTION, "A connection must be a JSON object"));
        }
        String connector = given.path("connector").asText(schemas.size() == 1 ? schemas.keySet().iterator().next() : "");
        Schema schema = schemas.get(connector);
        if (schema == null) {
            throw new ActionException(ActionError.of(ErrorCode.INVALID_CONNECTION, "Connection '"
                    + given.path("name").asText(DEFAULT_NAME) + "' " + (connector.isEmpty() ? "names no connector" : "names connector '"
                    + connector + "', which is not loaded") + " ('connector' must be one of " + new TreeSet<>(schemas.keySet()) + ")"));
        }
        ObjectNode json = withDefaults(given, rawSchemas.get(connector));
        List<FieldError> errors = InputValidator.validate(schema, json, Locale.ENGLISH);
        if (!errors.isEmpty()) {
            throw new ActionException(new ActionError(ErrorCode.INVALID_CONNECTION,
                    "Connection '" + json.path("name").asText(DEFAULT_NAME) + "' is invalid: " + errors.get(0).message(),
                    errors, null, null, false));
        }
        URI baseUrl = baseUrl(json);
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
        Map<String, Map<String, Secret>> callbacks = new LinkedHashMap<>();
        json.path("callbacks").fields().forEachRemaining(kind -> {
            Map<String, Secret> values = new LinkedHashMap<>();
            kind.getValue().fields().forEachRemaining(e -> values.put(e.getKey(), Secret.of(e.getValue().asText())));
            callbacks.put(kind.getKey(), values);
        });
        Connection.HttpSettings http = new Connection.HttpSettings(
                json.has("connectTimeoutMs") ? Duration.ofMillis(json.get("connectTimeoutMs").asLong()) : null,
                json.has("responseTimeoutMs") ? Duration.ofMillis(json.get("responseTimeoutMs").asLong()) : null,
                json.hasNonNull("proxy") ? URI.create(json.get("proxy").asText()) : null);
        return new Entry(connector, new Connection(json.path("name").asText(DEFAULT_NAME), baseUrl,
                properties, secrets, http, callbacks), json.path("rateLimitPerSecond").asDouble(0),
                json.hasNonNull("actionRateLimitPerMinute") ? json.get("actionRateLimitPerMinute").asInt() : null);
    }

    /**
     * The upstream's address: http or https, a host, and nothing that would be lost or sent elsewhere
     * (user info travels in clear, a query or a fragment would be cut off or mangle every path).
     */
    private static URI baseUrl(ObjectNode json) throws ActionException {
        String text = json.path("baseUrl").asText("");
        String problem;
        URI uri = null;
        try {
            uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            problem = !scheme.equals("http") && !scheme.equals("https") ? "must be an http or https URL"
                    : uri.getHost() == null ? "must name a host"
                    : uri.getRawUserInfo() != null ? "must not carry user info (credentials would travel in the URL)"
                    : uri.getRawQuery() != null || text.contains("?") ? "must not have a query"
                    : uri.getRawFragment() != null || text.contains("#") ? "must not have a fragment"
                    : null;
        } catch (java.net.URISyntaxException e) {
            problem = "is not a valid URL";
        }
        if (problem != null) {
            String message = "/baseUrl: " + problem;
            throw new ActionException(new ActionError(ErrorCode.INVALID_CONNECTION,
                    "Connection '" + json.path("name").asText(DEFAULT_NAME) + "' is invalid: " + message,
                    List.of(new FieldError("/baseUrl", "format", message)), null, null, false));
        }
        return uri;
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
