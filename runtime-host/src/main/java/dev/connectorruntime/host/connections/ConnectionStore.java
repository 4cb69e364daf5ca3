package dev.connectorruntime.host.connections;

import dev.connectorruntime.host.store.EmbeddedStore;
import java.nio.file.Files;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/**
 * Managed connections in the host's embedded store: per name, its version, its settings (JSON without
 * secrets) and its secrets sealed as one value, or a tombstone once removed (so a change made while
 * another host was away still wins by version).
 */
final class ConnectionStore {
    private static final List<String> MIGRATIONS = List.of(
            "CREATE TABLE managed_connections (name VARCHAR(200) PRIMARY KEY, version BIGINT NOT NULL,"
                    + " removed BOOLEAN NOT NULL, settings CLOB, secrets CLOB)");

    /**
     * One stored connection.
     *
     * @param settings the connection's JSON without {@code secrets}; null for a tombstone
     * @param secrets the {@code secrets} object, sealed; null when it has none or for a tombstone
     */
    record Stored(String name, long version, boolean removed, String settings, String secrets) {
        static Stored tombstone(String name, long version) {
            return new Stored(name, version, true, null, null);
        }
    }

    private final EmbeddedStore store;
    private volatile boolean migrated;

    ConnectionStore(EmbeddedStore store) {
        this.store = store;
    }

    /** Every stored connection and tombstone; empty, without creating the database, when there is none yet. */
    List<Stored> all() {
        if (!store.isOpen() && !Files.exists(store.dataDir().resolve("runtime.mv.db"))) {
            return List.of();
        }
        migrate();
        return store.read(connection -> {
            List<Stored> out = new ArrayList<>();
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT name, version, removed, settings, secrets FROM managed_connections ORDER BY version");
                 ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    out.add(new Stored(rows.getString(1), rows.getLong(2), rows.getBoolean(3), rows.getString(4), rows.getString(5)));
                }
            }
            return out;
        });
    }

    /** Writes a connection or tombstone, replacing what the name held. */
    void put(Stored stored) {
        migrate();
        store.inTransaction(connection -> {
            try (PreparedStatement merge = connection.prepareStatement(
                    "MERGE INTO managed_connections (name, version, removed, settings, secrets) KEY (name) VALUES (?, ?, ?, ?, ?)")) {
                merge.setString(1, stored.name());
                merge.setLong(2, stored.version());
                merge.setBoolean(3, stored.removed());
                merge.setString(4, stored.settings());
                merge.setString(5, stored.secrets());
                merge.executeUpdate();
            }
            return null;
        });
    }

    private void migrate() {
        if (!migrated) {
            store.migrate("managed_connections", MIGRATIONS);
            migrated = true;
        }
    }
}
