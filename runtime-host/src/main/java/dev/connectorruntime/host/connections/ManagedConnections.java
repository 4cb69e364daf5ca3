package dev.connectorruntime.host.connections;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connectorruntime.host.auth.SealingKeys;
import dev.connectorruntime.host.format.Json;
import dev.connectorruntime.host.store.EmbeddedStore;
import dev.connectorruntime.spi.ActionError;
import dev.connectorruntime.spi.ActionException;
import dev.connectorruntime.spi.ErrorCode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connections changed at run time (Java API, HTTP API, CLI): checked, kept in the embedded store with
 * their secrets sealed, and, with a shared Redis, published so every host applies the change within
 * a second (each polls for changes after the last version it saw). Connections from files and the
 * environment are read-only: they are never stored, and changing one here is refused.
 *
 * <p>A replacement that leaves out a secret kind keeps the stored secret of that kind (secrets are
 * write-only, so a settings form cannot send them back); {@code "kind": null} removes it.
 */
public final class ManagedConnections implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ManagedConnections.class);
    private static final long POLL_MILLIS = 200;

    private final Connections connections;
    private final ConnectionStore store;
    private final Supplier<SealingKeys> keys;
    private final SharedConnections shared;
    private final ScheduledExecutorService poller;
    private long localVersion;
    private volatile long seenVersion;

    /**
     * @param store where managed connections are kept; null to keep them in memory only
     * @param keys the keys sealing secrets (asked for only when a secret is stored or read)
     * @param shared the connections every host shares; null for this host alone
     */
    public ManagedConnections(Connections connections, EmbeddedStore store,
                              Supplier<SealingKeys> keys, SharedConnections shared) {
        this.connections = connections;
        this.store = store == null ? null : new ConnectionStore(store);
        this.keys = keys;
        this.shared = shared;
        this.poller = shared == null ? null : Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "connection-changes");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Loads the stored connections (sealing again those sealed with an older key), then, with a shared
     * Redis, applies newer changes from it, publishes what only this host had, and starts polling.
     */
    public synchronized void start() {
        Set<String> local = new HashSet<>();
        if (store != null) {
            for (ConnectionStore.Stored stored : store.all()) {
                localVersion = Math.max(localVersion, stored.version());
                local.add(stored.name());
                if (stored.secrets() != null && !keys.get().sealedWithCurrent(stored.secrets())) {
                    try {
                        stored = reseal(stored);
                    } catch (SealingKeys.SealException e) {
                        LOG.error("Stored connection '{}' is not loaded: its secrets {}", stored.name(), e.getMessage());
                        continue;
                    }
                }
                if (!stored.removed()) {
                    apply(stored);
                }
            }
        }
        if (shared != null) {
            try {
                List<SharedConnections.Change> changes = shared.changesAfter(0);
                changes.forEach(this::applyShared);
                Set<String> everywhere = new HashSet<>();
                changes.forEach(c -> everywhere.add(c.name()));
                if (store != null) {
                    for (ConnectionStore.Stored stored : store.all()) {
                        if (!everywhere.contains(stored.name())) {
                            publish(stored);
                        }
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("Shared connections unavailable at start ({}); serving the stored ones and retrying", e.getClass().getSimpleName());
            }
            poller.scheduleWithFixedDelay(this::poll, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** Adds or replaces a managed connection (see the class for omitted secrets). Returns its name. */
    public synchronized String put(JsonNode json) throws ActionException {
        ObjectNode given = object(json);
        String name = given.path("name").asText(Connections.DEFAULT_NAME);
        refuseReadOnly(name);
        ObjectNode complete = withKeptSecrets(given);
        connections.check(complete);
        long version = persist(name, complete);
        return connections.add(complete, null, version);
    }

    /** Replaces an existing managed connection; {@link ErrorCode#INVALID_CONNECTION} when there is none. */
    public synchronized String replace(JsonNode json) throws ActionException {
        String name = object(json).path("name").asText(Connections.DEFAULT_NAME);
        if (connections.find(name).isEmpty()) {
            throw Connections.unknown(name);
        }
        return put(json);
    }

    /** Removes a managed connection; returns whether there was one. */
    public synchronized boolean remove(String name) throws ActionException {
        if (connections.find(name).isEmpty()) {
            return false;
        }
        refuseReadOnly(name);
        if (store != null || shared != null) {
            long version = nextVersion(name, "{\"removed\":true}");
            if (store != null) {
                store.put(ConnectionStore.Stored.tombstone(name, version));
            }
        }
        return connections.remove(name);
    }

    /** A connection from a file or the environment: never stored; changes to it are refused. */
    public synchronized String addReadOnly(JsonNode json, String source) throws ActionException {
        return connections.add(json, source, 0);
    }

    /** The connection {@link #put} would store, with kept secrets filled in, checked but not added. */
    public ObjectNode candidate(JsonNode json) throws ActionException {
        ObjectNode complete = withKeptSecrets(object(json));
        connections.check(complete);
        return complete;
    }

    private void refuseReadOnly(String name) throws ActionException {
        String source = connections.find(name).flatMap(Connections.Entry::source).orElse(null);
        if (source != null) {
            throw new ActionException(ActionError.of(ErrorCode.INVALID_CONNECTION,
                    "Connection '" + name + "' comes from " + source + " and is read-only here; change it there"));
        }
    }

    private static ObjectNode object(JsonNode json) throws ActionException {
        if (!(json instanceof ObjectNode object)) {
            throw new ActionException(ActionError.of(ErrorCode.INVALID_CONNECTION, "A connection must be a JSON object"));
        }
        return object;
    }

    private ObjectNode withKeptSecrets(ObjectNode given) {
        ObjectNode complete = given.deepCopy();
        var current = connections.find(complete.path("name").asText(Connections.DEFAULT_NAME));
        ObjectNode secrets = complete.has("secrets") && complete.get("secrets").isObject()
                ? (ObjectNode) complete.get("secrets") : Json.MAPPER.createObjectNode();
        if (current.isPresent() && current.get().source().isEmpty()) {
            current.get().connection().secrets().forEach((kind, secret) -> {
                if (!secrets.has(kind)) {
                    secrets.put(kind, secret.reveal());
                }
            });
        }
        List<String> removed = new ArrayList<>();
        secrets.fields().forEachRemaining(e -> {
            if (e.getValue().isNull()) {
                removed.add(e.getKey());
            }
        });
        secrets.remove(removed);
        if (!secrets.isEmpty() || complete.has("secrets")) {
            complete.set("secrets", secrets);
        }
        return complete;
    }

    /** Stores the connection (secrets sealed) and publishes it; returns its version (0: kept in memory only). */
    private long persist(String name, ObjectNode complete) {
        if (store == null && shared == null) {
            return 0;
        }
        ObjectNode settings = complete.deepCopy();
        JsonNode secrets = settings.remove("secrets");
        String sealed = secrets == null || secrets.isEmpty() ? null : keys.get().seal(secrets.toString(), name);
        ObjectNode record = Json.MAPPER.createObjectNode().put("removed", false);
        record.set("settings", settings);
        record.put("secrets", sealed);
        long version = nextVersion(name, record.toString());
        if (store != null) {
            store.put(new ConnectionStore.Stored(name, version, false, settings.toString(), sealed));
        }
        return version;
    }

    /** The next version: the shared one (the change is published with it), else this host's. */
    private long nextVersion(String name, String record) {
        if (shared != null) {
            long version = shared.publish(name, record);
            localVersion = Math.max(localVersion, version);
            return version;
        }
        return ++localVersion;
    }

    private void publish(ConnectionStore.Stored stored) {
        ObjectNode record = Json.MAPPER.createObjectNode().put("removed", stored.removed());
        if (!stored.removed()) {
            record.set("settings", parse(stored.settings()));
            record.put("secrets", stored.secrets());
        }
        long version = shared.publish(stored.name(), record.toString());
        store.put(new ConnectionStore.Stored(stored.name(), version, stored.removed(), stored.settings(), stored.secrets()));
        connections.find(stored.name()).filter(e -> e.source().isEmpty()).ifPresent(e -> {
            try {
                connections.add(settingsWithSecrets(stored), null, version);
            } catch (ActionException ex) {
                LOG.warn("Stored connection '{}' no longer passes its schema: {}", stored.name(), ex.error().message());
            }
        });
    }

    private ConnectionStore.Stored reseal(ConnectionStore.Stored stored) {
        String opened = keys.get().open(stored.secrets(), stored.name());
        ConnectionStore.Stored resealed = new ConnectionStore.Stored(stored.name(), stored.version(), stored.removed(),
                stored.settings(), keys.get().seal(opened, stored.name()));
        store.put(resealed);
        LOG.info("Connection '{}': secrets sealed again with key '{}'", stored.name(), keys.get().currentId());
        return resealed;
    }

    private void poll() {
        try {
            shared.changesAfter(seenVersion).forEach(this::applyShared);
        } catch (RuntimeException e) {
            // Redis away: SharedRedis logged it; the next poll catches up
        }
    }

    /** Applies a change another host published, unless this host already has that version or a newer one. */
    private synchronized void applyShared(SharedConnections.Change change) {
        seenVersion = Math.max(seenVersion, change.version());
        var current = connections.find(change.name());
        if (current.isPresent() && (current.get().source().isPresent() || current.get().version() >= change.version())) {
            return;
        }
        JsonNode record = parse(change.record());
        ConnectionStore.Stored stored = record.path("removed").asBoolean()
                ? ConnectionStore.Stored.tombstone(change.name(), change.version())
                : new ConnectionStore.Stored(change.name(), change.version(), false, record.path("settings").toString(),
                        record.path("secrets").isTextual() ? record.get("secrets").asText() : null);
        if (store != null) {
            store.put(stored);
        }
        localVersion = Math.max(localVersion, change.version());
        if (stored.removed()) {
            connections.remove(change.name());
        } else {
            apply(stored);
        }
    }

    private void apply(ConnectionStore.Stored stored) {
        try {
            connections.add(settingsWithSecrets(stored), null, stored.version());
        } catch (ActionException e) {
            LOG.warn("Stored connection '{}' is not loaded: {}", stored.name(), e.error().message());
        } catch (SealingKeys.SealException e) {
            LOG.error("Stored connection '{}' is not loaded: its secrets {}", stored.name(), e.getMessage());
        }
    }

    private ObjectNode settingsWithSecrets(ConnectionStore.Stored stored) {
        ObjectNode json = (ObjectNode) parse(stored.settings());
        if (stored.secrets() != null) {
            json.set("secrets", parse(keys.get().open(stored.secrets(), stored.name())));
        }
        return json;
    }

    private static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("stored connection is not JSON", e);
        }
    }

    @Override
    public void close() {
        if (poller != null) {
            // never interrupted: an interrupt closes the embedded store's file under a write
            poller.shutdown();
            try {
                poller.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
