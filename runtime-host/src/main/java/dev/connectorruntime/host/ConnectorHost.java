package dev.connectorruntime.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.base.Suppliers;
import com.networknt.schema.Schema;
import dev.connectorruntime.host.auth.Credentials;
import dev.connectorruntime.host.auth.InMemoryTokenStore;
import dev.connectorruntime.host.auth.SealingKeys;
import dev.connectorruntime.host.connections.Connections;
import dev.connectorruntime.host.connections.ManagedConnections;
import dev.connectorruntime.host.pipeline.ActionExecutor;
import dev.connectorruntime.host.pipeline.ActionRegistry;
import dev.connectorruntime.host.pipeline.CallMetrics;
import dev.connectorruntime.host.pipeline.InputValidator;
import dev.connectorruntime.host.pipeline.RegisteredAction;
import dev.connectorruntime.host.pipeline.SchemaCompiler;
import dev.connectorruntime.host.shared.RateLimits;
import dev.connectorruntime.host.shared.RedisConnections;
import dev.connectorruntime.host.shared.RedisTokenStore;
import dev.connectorruntime.host.shared.SharedRedis;
import dev.connectorruntime.host.store.EmbeddedStore;
import dev.connectorruntime.host.transport.HttpClientTransport;
import dev.connectorruntime.host.triggers.Backoff;
import dev.connectorruntime.host.triggers.EmbeddedEventLog;
import dev.connectorruntime.host.triggers.EventDelivery;
import dev.connectorruntime.host.triggers.EventLog;
import dev.connectorruntime.host.triggers.NewEvents;
import dev.connectorruntime.host.triggers.RedisEventLog;
import dev.connectorruntime.host.triggers.EventFilter;
import dev.connectorruntime.host.triggers.InProcessSubscription;
import dev.connectorruntime.host.triggers.TriggerEvent;
import dev.connectorruntime.host.triggers.TriggerService;
import dev.connectorruntime.spi.ActionDescriptor;
import dev.connectorruntime.spi.ActionError;
import dev.connectorruntime.spi.ActionException;
import dev.connectorruntime.spi.Connection;
import dev.connectorruntime.spi.Connector;
import dev.connectorruntime.spi.ConnectorContext;
import dev.connectorruntime.spi.ConnectorInfo;
import dev.connectorruntime.spi.CredentialCheck;
import dev.connectorruntime.spi.ErrorCode;
import dev.connectorruntime.spi.ExecutionResult;
import dev.connectorruntime.spi.FieldError;
import dev.connectorruntime.spi.Sandbox;
import dev.connectorruntime.spi.TokenStore;
import dev.connectorruntime.spi.Transport;
import dev.connectorruntime.spi.TriggerDescriptor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The runtime host: loads connector plugins, keeps their actions with compiled schemas, holds named
 * connections, and executes actions through one generic executor. Thread-safe; create one per process.
 *
 * <pre>{@code
 * try (ConnectorHost host = ConnectorHost.builder().pluginsDir(Path.of("plugins")).build()) {
 *     host.addConnection(connectionJson);
 *     ExecutionResult result = host.execute("user_get", input);
 * }
 * }</pre>
 */
public final class ConnectorHost implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ConnectorHost.class);
    private final PluginLoader plugins;
    private final List<Connector> connectors;
    private final ActionRegistry registry;
    private final Connections connections;
    private final ManagedConnections managed;
    private final HttpClientTransport ownTransport;
    private final ActionExecutor executor;
    private final MeterRegistry meters;
    private final StartupTimings startup;
    private final SharedRedis redis;
    private final EmbeddedStore store;
    private final Clock clock;
    private final String redisUrl;
    private final Duration retention;
    private final Backoff webhookBackoff;
    private final NewEvents newEvents = new NewEvents();
    private EventLog storedLog;
    private EventLog eventLog;
    private EventDelivery delivery;
    private final TriggerService triggers;

    /** How long start-up took: loading the plugins, and compiling every action's schemas. */
    public record StartupTimings(Duration pluginLoad, Duration schemaCompile) {}

    private ConnectorHost(Builder builder) {
        long start = System.nanoTime();
        plugins = new PluginLoader(builder.pluginsDir);
        try {
            List<Connector> all = new ArrayList<>(plugins.connectors(builder.connectorSources));
            all.addAll(builder.connectors);
            if (all.isEmpty()) {
                throw new IllegalStateException("no connector plugin found in " + plugins.roots());
            }
            connectors = List.copyOf(all);
            Set<String> ids = new HashSet<>();
            connectors.stream().map(c -> c.info().id()).filter(id -> !ids.add(id)).findFirst().ifPresent(id -> {
                throw new IllegalStateException("connector id '" + id + "' is loaded twice");
            });
            long loaded = System.nanoTime();
            SchemaCompiler compiler = new SchemaCompiler();
            registry = new ActionRegistry(connectors, compiler);
            startup = new StartupTimings(Duration.ofNanos(loaded - start), Duration.ofNanos(System.nanoTime() - loaded));
            Map<String, Schema> connectionSchemas = new HashMap<>();
            Map<String, JsonNode> rawConnectionSchemas = new HashMap<>();
            for (Connector connector : connectors) {
                connectionSchemas.put(connector.info().id(), compiler.compile(connector.connectionSchema(), connector.info().id() + " connection"));
                rawConnectionSchemas.put(connector.info().id(), connector.connectionSchema());
            }
            connections = new Connections(connectionSchemas, rawConnectionSchemas, this::release);
            ownTransport = builder.transport == null ? new HttpClientTransport(builder.maxConnections) : null;
            Transport transport = builder.transport != null ? builder.transport : ownTransport;
            redis = sharedRedis(builder);
            store = new EmbeddedStore(builder.dataDir);
            clock = builder.clock;
            redisUrl = redis == null ? null : builder.redisUrl;
            retention = builder.retention;
            webhookBackoff = builder.webhookBackoff;
            TokenStore tokens = builder.tokenStore != null ? builder.tokenStore
                    : redis != null ? new RedisTokenStore(redis, builder.clock, builder.refreshAhead, SealingKeys.configured(builder.secretKeys))
                    : new InMemoryTokenStore(builder.clock, builder.refreshAhead);
            ConnectorContext context = new ConnectorContext(transport, tokens, builder.clock);
            connectors.forEach(c -> c.start(context));
            meters = builder.meters;
            executor = new ActionExecutor(registry, connections, transport, tokens, new Credentials(transport, tokens, builder.clock),
                    builder.retryPolicy,
                    new RateLimits(redis), new CallMetrics(meters));
            triggers = new TriggerService(connectors, this::namedConnection, this::eventLog, meters, retention, clock);
            Path dataDir = builder.dataDir;
            String secretKeys = builder.secretKeys;
            managed = new ManagedConnections(connections, builder.persistConnections ? store : null,
                    Suppliers.memoize(() -> SealingKeys.configuredOr(secretKeys, dataDir)),
                    builder.persistConnections && redis != null ? new RedisConnections(redis) : null);
            managed.start();
        } catch (RuntimeException e) {
            plugins.close();
            throw e;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public StartupTimings startupTimings() {
        return startup;
    }

    /** The loaded connectors. */
    public List<ConnectorInfo> connectors() {
        return connectors.stream().map(Connector::info).toList();
    }

    /** Every action of every connector, in palette order. */
    public List<ActionDescriptor> actions() {
        return registry.all().stream().map(RegisteredAction::descriptor).toList();
    }

    public Optional<ActionDescriptor> action(String id) {
        return registry.find(id).map(RegisteredAction::descriptor);
    }

    /** A connector's connection schema (the "integration settings" form). */
    public Optional<JsonNode> connectionSchema(String connectorId) {
        return connector(connectorId).map(Connector::connectionSchema);
    }

    /** A connector's demo scenario, if it has one. */
    public Optional<JsonNode> demoScenario(String connectorId) {
        return connector(connectorId).flatMap(Connector::demoScenario);
    }

    /**
     * Adds a connection given as JSON, or replaces the one of the same name; the first one added is
     * the default. The next call uses it; calls running on a replaced one finish on it. With
     * {@link Builder#persistConnections}, it is kept in the embedded store (secrets sealed) and, with
     * Redis, every host sees it within a second. On a replacement, a secret kind left out keeps its
     * stored value ({@code null} removes it).
     *
     * @return its name
     * @throws ActionException {@link ErrorCode#INVALID_CONNECTION} naming each invalid field, or when
     *     the name is a read-only connection
     */
    public String addConnection(JsonNode connection) throws ActionException {
        return managed.put(connection);
    }

    /**
     * Adds a connection from a read-only source (a file, the environment): never stored, and adding,
     * replacing or removing a connection of that name through this host is refused.
     *
     * @param source where it comes from, for messages ({@code file acme.json}, {@code environment})
     */
    public String addReadOnlyConnection(JsonNode connection, String source) throws ActionException {
        return managed.addReadOnly(connection, Objects.requireNonNull(source));
    }

    /**
     * A connection as an "integration settings" page shows it: its settings, {@code secretKinds} (which
     * secrets it has, never their values) and {@code source} ({@code managed}, or where a read-only one
     * comes from).
     */
    public Optional<ObjectNode> connection(String name) {
        return connections.find(name).map(Connections.Entry::describe);
    }

    /**
     * Replaces an existing connection (a rotated secret, a new rate limit). The next call uses the new
     * settings; calls running on the old ones finish on them. When its credentials changed, the old
     * tokens and tickets are dropped once those calls are done.
     *
     * @throws ActionException {@link ErrorCode#INVALID_CONNECTION} when there is no connection of that
     *     name or the new settings are invalid
     */
    public String replaceConnection(JsonNode connection) throws ActionException {
        return managed.replace(connection);
    }

    /**
     * Removes a connection: the next call naming it fails with {@link ErrorCode#INVALID_CONNECTION};
     * calls running on it finish, then its tokens, tickets and rate limiters are dropped.
     *
     * @return whether there was a connection of that name
     * @throws ActionException {@link ErrorCode#INVALID_CONNECTION} when it is a read-only connection
     */
    public boolean removeConnection(String name) throws ActionException {
        return managed.remove(name);
    }

    public void setDefaultConnection(String name) {
        connections.setDefault(name);
    }

    /** The connection used when a call names none, if any is configured. */
    public Optional<String> defaultConnectionName() {
        return Optional.ofNullable(connections.defaultName());
    }

    public List<String> connectionNames() {
        return connections.names();
    }

    /** Checks an input against the action's schema without sending anything; empty when valid. */
    public List<FieldError> validate(String actionId, JsonNode input, ExecuteOptions options) throws ActionException {
        return executor.validate(actionId, input, options);
    }

    /**
     * Checks an upstream output against the action's output schema (which accepts fields it does not
     * list); empty when it conforms.
     */
    public List<FieldError> validateOutput(String actionId, JsonNode output) throws ActionException {
        return InputValidator.validate(executor.find(actionId).output(), output, java.util.Locale.ENGLISH);
    }

    public ExecutionResult execute(String actionId, JsonNode input) {
        return execute(actionId, input, ExecuteOptions.DEFAULTS);
    }

    public ExecutionResult execute(String actionId, JsonNode input, ExecuteOptions options) {
        return executor.execute(actionId, input, Objects.requireNonNull(options));
    }

    /**
     * The registry holding this host's meters: {@code connector.calls} (timer by action and outcome)
     * and {@code connector.upstream.errcodes} (counter by action and errcode).
     */
    public MeterRegistry meters() {
        return meters;
    }

    /**
     * Checks each secret of a connection against the upstream (one fresh token request per secret
     * kind); never includes a secret.
     */
    public List<CredentialCheck> testConnection(String name) throws ActionException {
        Connections.Entry entry = connections.resolve(name);
        return connector(entry.connector()).orElseThrow().checkConnection(entry.connection());
    }

    /** The connector a connection belongs to (its {@code "connector"}, or the only connector loaded). */
    public ConnectorInfo connectionConnector(String name) throws ActionException {
        return connector(connections.resolve(name).connector()).orElseThrow().info();
    }

    /** The connector of an action. */
    public Optional<ConnectorInfo> actionConnector(String actionId) {
        return registry.find(actionId).map(action -> action.connector().info());
    }

    /**
     * Checks the secrets of a connection before it is saved (as {@link #addConnection} would save it,
     * kept secrets filled in): one fresh token request per secret kind; never includes a secret.
     */
    public List<CredentialCheck> testConnection(JsonNode candidate) throws ActionException {
        Connections.Entry entry = connections.check(managed.candidate(candidate));
        return connector(entry.connector()).orElseThrow().checkConnection(entry.connection());
    }

    /**
     * Starts a new sandbox of the connector (the first loaded connector with one when {@code connectorId}
     * is null): a sandbox plugin's, else the connector's own.
     */
    public Sandbox.Instance startSandbox(String connectorId) throws ActionException {
        List<Sandbox> sandboxes = new ArrayList<>(plugins.sandboxes());
        connectors.forEach(c -> c.sandbox().ifPresent(sandboxes::add));
        return sandboxes.stream()
                .filter(sandbox -> connector(sandbox.connectorId()).isPresent())
                .filter(sandbox -> connectorId == null || sandbox.connectorId().equals(connectorId))
                .findFirst()
                .orElseThrow(() -> new ActionException(ActionError.of(ErrorCode.INVALID_CONNECTION,
                        "No sandbox for connector " + (connectorId == null ? "(any)" : connectorId))))
                .start();
    }

    /**
     * The host's embedded store for its own durable state (trigger events, subscriptions, managed
     * connections), in the data directory; the database is created only when something first uses it.
     */
    public EmbeddedStore store() {
        return store;
    }

    /** Every trigger of every connector (events a workflow can start on), in palette order. */
    public List<TriggerDescriptor> triggers() {
        return triggers.triggers();
    }

    public Optional<TriggerDescriptor> trigger(String id) {
        return triggers.trigger(id);
    }

    /**
     * Calls {@code handler} with each event of the trigger stored from now on, in order, on a thread of
     * the subscription's own; at least once (a handler that throws gets the same event again), so
     * handlers deduplicate on {@link TriggerEvent#id()}.
     *
     * @param connection only events received on this connection; null for any
     * @param filter conditions on the event's fields; null for none
     */
    public InProcessSubscription subscribe(String triggerId, String connection, EventFilter filter, Consumer<TriggerEvent> handler) {
        if (triggers.trigger(triggerId).isEmpty()) {
            throw new IllegalArgumentException("Unknown trigger '" + triggerId + "'");
        }
        return triggers.subscribe(triggerId, connection, filter, Objects.requireNonNull(handler));
    }

    /** The triggers' inbound callbacks, event log and subscriptions, for the host's HTTP API and CLI. */
    public TriggerService triggerService() {
        return triggers;
    }

    private Optional<Connection> namedConnection(String name) {
        try {
            return Optional.of(connections.resolve(name).connection());
        } catch (ActionException e) {
            return Optional.empty();
        }
    }

    /**
     * The log of trigger events: in the embedded store, or a Redis Stream shared with other hosts when
     * the host was built with Redis. Opened on first use.
     */
    public synchronized EventLog eventLog() {
        if (eventLog == null) {
            storedLog = redisUrl != null ? new RedisEventLog(redisUrl, retention, clock) : new EmbeddedEventLog(store, clock);
            eventLog = newEvents.signalling(storedLog);
        }
        return eventLog;
    }

    /**
     * Delivery of trigger events to webhook subscriptions and pull readers. Started on first use; from
     * then on, stored subscriptions are served (also those made before a restart).
     */
    public synchronized EventDelivery delivery() {
        if (delivery == null) {
            EventDelivery.Settings settings = new EventDelivery.Settings(
                    id -> trigger(id).map(TriggerDescriptor::schema), name -> connections.find(name).isPresent(),
                    webhookBackoff, clock, retention);
            EventLog log = eventLog();
            delivery = storedLog instanceof RedisEventLog redisLog ? EventDelivery.redis(redisLog, log, newEvents, settings)
                    : EventDelivery.embedded(store, log, newEvents, settings);
        }
        return delivery;
    }

    /** Frees what the connector keeps for a connection that is gone. */
    private void release(Connections.Entry entry) {
        connector(entry.connector()).ifPresent(c -> c.release(entry.connection()));
    }

    private Optional<Connector> connector(String id) {
        return connectors.stream().filter(c -> c.info().id().equals(id)).findFirst();
    }

    @Override
    public void close() {
        managed.close();
        if (ownTransport != null) {
            ownTransport.close();
        }
        if (redis != null) {
            redis.close();
        }
        triggers.close();
        synchronized (this) {
            if (delivery != null) {
                delivery.close();
            }
            if (eventLog != null) {
                eventLog.close();
            }
        }
        store.close();
        plugins.close();
    }

    /**
     * The configured Redis, checked once: refusing the credentials or TLS stops the start, unless the
     * operator chose to go on without it (then there is no Redis at all: per-host state).
     */
    private static SharedRedis sharedRedis(Builder builder) {
        if (builder.redisUrl == null) {
            return null;
        }
        SharedRedis redis = new SharedRedis(builder.redisUrl);
        try {
            redis.verify();
            return redis;
        } catch (IllegalStateException e) {
            redis.close();
            if (!builder.redisOptional) {
                throw e;
            }
            LOG.warn("{}; going on without it (--redis-optional): tokens, rate limits and events are per host", e.getMessage());
            return null;
        }
    }

    /** Builds a {@link ConnectorHost}; only the plugins directory is required. */
    public static final class Builder {
        private Path pluginsDir;
        private final List<Connector> connectors = new ArrayList<>();
        private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
        private Clock clock = Clock.systemUTC();
        private Duration refreshAhead = Duration.ofMinutes(5);
        private TokenStore tokenStore;
        private int maxConnections = 200;
        private MeterRegistry meters = new SimpleMeterRegistry();
        private String redisUrl;
        private boolean redisOptional;
        private Path dataDir = defaultDataDir();
        private boolean persistConnections;
        private String secretKeys = System.getenv("RUNTIME_SECRET_KEYS");
        private Transport transport;
        private final List<Path> connectorSources = new ArrayList<>();
        private Duration retention = Duration.ofDays(7);
        private Backoff webhookBackoff = Backoff.DEFAULT;

        private Builder() {}

        private static Path defaultDataDir() {
            String env = System.getenv("RUNTIME_DATA_DIR");
            return Path.of(env == null || env.isBlank() ? "data" : env);
        }

        /**
         * Where the host keeps its durable state (default {@code RUNTIME_DATA_DIR}, else {@code ./data});
         * nothing is written there until a feature needs it.
         */
        public Builder dataDir(Path value) {
            dataDir = Objects.requireNonNull(value);
            return this;
        }

        /**
         * Keep connections added, replaced or removed through this host in the embedded store (secrets
         * sealed with {@link #secretKeys}), load them at start and, with {@link #redis}, share every
         * change with the other hosts. Default: off (connections live in memory).
         */
        public Builder persistConnections(boolean value) {
            persistConnections = value;
            return this;
        }

        /**
         * The AES-256 keys that seal stored secrets, {@code id:base64key} separated by commas or new
         * lines: the first seals, every one opens (rotation: put the new key first, restart, then drop
         * the old one). Default: {@code RUNTIME_SECRET_KEYS}, else a key made on first use in the data
         * directory's {@code secret-keys} file. When configured (not the generated file, which other
         * hosts lack), they also seal the access tokens kept in a shared {@link #redis}.
         */
        public Builder secretKeys(String value) {
            secretKeys = value;
            return this;
        }

        /** How long trigger events are kept (default 7 days). */
        public Builder retention(Duration value) {
            retention = Objects.requireNonNull(value);
            return this;
        }

        /**
         * When failed webhook deliveries are retried: first after {@code first}, each next wait twice as
         * long up to {@code longest}; after {@code giveUpAfter} a delivery becomes a dead letter.
         * Default: 1 s, 10 minutes, 6 hours.
         */
        public Builder webhookRetries(Duration first, Duration longest, Duration giveUpAfter) {
            webhookBackoff = new Backoff(first, longest, giveUpAfter);
            return this;
        }

        public Builder pluginsDir(Path value) {
            pluginsDir = value;
            return this;
        }

        /**
         * Adds connector sources: files, or folders whose files are read, that factory plugins turn into
         * connectors (an API description document, say). Default: none.
         */
        public Builder connectorSources(List<Path> values) {
            connectorSources.addAll(values);
            return this;
        }

        public Builder retryPolicy(RetryPolicy value) {
            retryPolicy = Objects.requireNonNull(value);
            return this;
        }

        public Builder clock(Clock value) {
            clock = Objects.requireNonNull(value);
            return this;
        }

        /** How long before expiry a token is refreshed (default 5 minutes; half the lifetime for short ones). */
        public Builder refreshAhead(Duration value) {
            refreshAhead = Objects.requireNonNull(value);
            return this;
        }

        /** A shared token store (default: in memory). */
        public Builder tokenStore(TokenStore value) {
            tokenStore = value;
            return this;
        }

        /** Size of the HTTP connection pool (default 200). */
        public Builder maxConnections(int value) {
            maxConnections = value;
            return this;
        }

        /**
         * Start even when Redis refuses the credentials or TLS (a warning, per-host state); by default
         * that is an {@link IllegalStateException} from {@link #build()}.
         */
        public Builder redisOptional(boolean value) {
            redisOptional = value;
            return this;
        }

        /**
         * Share tokens, tickets and rate limits with other hosts on this Redis ({@code redis://host:port});
         * default: none (per-host memory).
         */
        public Builder redis(String url) {
            redisUrl = url == null || url.isBlank() ? null : url;
            return this;
        }

        /**
         * Sends every upstream request (token requests too) through this transport instead of the host's
         * own HTTP client pool; the caller keeps ownership (the host does not close it). Default: the pool.
         */
        public Builder transport(Transport value) {
            transport = Objects.requireNonNull(value);
            return this;
        }

        /** Where call metrics go (default: an in-memory registry). */
        public Builder meters(MeterRegistry value) {
            meters = Objects.requireNonNull(value);
            return this;
        }

        /**
         * A connector given in process, besides those of the plugins directory (for embedding a
         * connector without packaging it, and for tests).
         */
        public Builder connector(Connector value) {
            connectors.add(Objects.requireNonNull(value));
            return this;
        }

        public ConnectorHost build() {
            Objects.requireNonNull(pluginsDir, "pluginsDir");
            return new ConnectorHost(this);
        }
    }
}
