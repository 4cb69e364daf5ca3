package dev.connectorruntime.host.triggers;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.connectorruntime.host.store.EmbeddedStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Subscriptions, their delivery records and their cursors in the embedded store, so they survive
 * restarts.
 */
final class H2SubscriptionStore implements SubscriptionStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> MIGRATIONS = List.of(
            """
            CREATE TABLE subscriptions (
              id VARCHAR(64) PRIMARY KEY,
              definition CHARACTER VARYING NOT NULL,
              cursor_sequence BIGINT NOT NULL)""",
            """
            CREATE TABLE deliveries (
              subscription_id VARCHAR(64) NOT NULL,
              event_id VARCHAR(64) NOT NULL,
              sequence BIGINT NOT NULL,
              status VARCHAR(16) NOT NULL,
              attempts INT NOT NULL,
              last_status INT NOT NULL,
              last_error VARCHAR(500),
              first_attempt_at TIMESTAMP WITH TIME ZONE NOT NULL,
              updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
              payload CHARACTER VARYING NOT NULL,
              PRIMARY KEY (subscription_id, event_id))""",
            "CREATE INDEX deliveries_by_status ON deliveries (subscription_id, status, sequence)");

    private final EmbeddedStore db;

    H2SubscriptionStore(EmbeddedStore db) {
        this.db = db;
        db.migrate("webhook_subscriptions", MIGRATIONS);
    }

    /** Adds a subscription whose cursor starts after {@code cursor}. */
    void add(WebhookSubscription subscription, long cursor) {
        String definition = text(subscription);
        db.inTransaction(c -> {
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO subscriptions (id, definition, cursor_sequence) VALUES (?, ?, ?)")) {
                insert.setString(1, subscription.id());
                insert.setString(2, definition);
                insert.setLong(3, cursor);
                return insert.executeUpdate();
            }
        });
    }

    @Override
    public void add(WebhookSubscription subscription) {
        add(subscription, 0);
    }

    long cursor(String id) {
        return db.read(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT cursor_sequence FROM subscriptions WHERE id = ?")) {
                select.setString(1, id);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? rows.getLong(1) : 0L;
                }
            }
        });
    }

    void setCursor(String id, long sequence) {
        db.inWriterTransaction(c -> advance(c, id, sequence));
    }

    private static int advance(Connection c, String id, long sequence) throws SQLException {
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE subscriptions SET cursor_sequence = ? WHERE id = ? AND cursor_sequence < ?")) {
            update.setLong(1, sequence);
            update.setString(2, id);
            update.setLong(3, sequence);
            return update.executeUpdate();
        }
    }

    @Override
    public Optional<WebhookSubscription> find(String id) {
        return select("SELECT definition FROM subscriptions WHERE id = ?", id).stream().findFirst();
    }

    @Override
    public List<WebhookSubscription> all() {
        return select("SELECT definition FROM subscriptions ORDER BY id", null);
    }

    private List<WebhookSubscription> select(String sql, String id) {
        return db.read(c -> {
            try (PreparedStatement select = c.prepareStatement(sql)) {
                if (id != null) {
                    select.setString(1, id);
                }
                List<WebhookSubscription> list = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        list.add(WebhookSubscription.fromJson(json(rows.getString(1))));
                    }
                }
                return list;
            }
        });
    }

    @Override
    public boolean remove(String id) {
        return db.inTransaction(c -> {
            try (PreparedStatement deliveries = c.prepareStatement("DELETE FROM deliveries WHERE subscription_id = ?");
                 PreparedStatement subscription = c.prepareStatement("DELETE FROM subscriptions WHERE id = ?")) {
                deliveries.setString(1, id);
                deliveries.executeUpdate();
                subscription.setString(1, id);
                return subscription.executeUpdate() > 0;
            }
        });
    }

    @Override
    public void record(DeliveryRecord r) {
        db.inWriterTransaction(c -> merge(c, r));
    }

    /** Stores a delivery's outcome and moves the subscription's cursor past it, in one commit. */
    void recordAndAdvance(DeliveryRecord r, long cursor) {
        db.inWriterTransaction(c -> {
            merge(c, r);
            return advance(c, r.subscriptionId(), cursor);
        });
    }

    private static int merge(Connection c, DeliveryRecord r) throws SQLException {
        try (PreparedStatement merge = c.prepareStatement("""
                MERGE INTO deliveries (subscription_id, event_id, sequence, status, attempts, last_status, last_error,
                  first_attempt_at, updated_at, payload) KEY (subscription_id, event_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            merge.setString(1, r.subscriptionId());
            merge.setString(2, r.eventId());
            merge.setLong(3, r.sequence());
            merge.setString(4, r.status().name());
            merge.setInt(5, r.attempts());
            merge.setInt(6, r.lastStatus());
            merge.setString(7, r.lastError());
            merge.setTimestamp(8, Timestamp.from(r.firstAttemptAt()));
            merge.setTimestamp(9, Timestamp.from(r.updatedAt()));
            merge.setString(10, r.payload());
            return merge.executeUpdate();
        }
    }

    @Override
    public Optional<DeliveryRecord> delivery(String subscriptionId, String eventId) {
        return records("SELECT * FROM deliveries WHERE subscription_id = ? AND event_id = ?", subscriptionId, eventId, 1)
                .stream().findFirst();
    }

    @Override
    public List<DeliveryRecord> deliveries(String subscriptionId, int limit) {
        return records("SELECT * FROM deliveries WHERE subscription_id = ? ORDER BY sequence DESC LIMIT ?", subscriptionId, null, limit);
    }

    @Override
    public List<DeliveryRecord> redeliveries(String subscriptionId) {
        return records("SELECT * FROM deliveries WHERE subscription_id = ? AND status = 'REDELIVER' ORDER BY sequence LIMIT ?",
                subscriptionId, null, 100);
    }

    @Override
    public void purgeOlderThan(java.time.Instant cutoff) {
        db.inTransaction(c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM deliveries WHERE updated_at < ?")) {
                delete.setTimestamp(1, Timestamp.from(cutoff));
                return delete.executeUpdate();
            }
        });
    }

    private List<DeliveryRecord> records(String sql, String subscriptionId, String eventId, int limit) {
        return db.read(c -> {
            try (PreparedStatement select = c.prepareStatement(sql)) {
                select.setString(1, subscriptionId);
                if (eventId != null) {
                    select.setString(2, eventId);
                } else {
                    select.setInt(2, limit);
                }
                List<DeliveryRecord> list = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        list.add(new DeliveryRecord(rows.getString("subscription_id"), rows.getString("event_id"),
                                rows.getLong("sequence"), DeliveryRecord.Status.valueOf(rows.getString("status")),
                                rows.getInt("attempts"), rows.getInt("last_status"), rows.getString("last_error"),
                                rows.getTimestamp("first_attempt_at").toInstant(), rows.getTimestamp("updated_at").toInstant(),
                                rows.getString("payload")));
                    }
                }
                return list;
            }
        });
    }

    private static String text(WebhookSubscription subscription) {
        try {
            return JSON.writeValueAsString(subscription.toJson(true));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Feeds that read the embedded event log after each subscription's stored cursor. */
    static final class Feeds implements SubscriptionFeed.Source {
        private final H2SubscriptionStore store;
        private final EventLog log;
        private final NewEvents newEvents;

        Feeds(H2SubscriptionStore store, EventLog log, NewEvents newEvents) {
            this.store = store;
            this.log = log;
            this.newEvents = newEvents;
        }

        @Override
        public void created(WebhookSubscription subscription) {
            store.add(subscription, log.lastSequence());
        }

        @Override
        public SubscriptionFeed open(WebhookSubscription subscription) {
            return new SubscriptionFeed() {
                private long cursor = store.cursor(subscription.id());
                /** Events the subscription does not want move the cursor in memory; it is stored before the next wait. */
                private long stored = cursor;

                @Override
                public boolean claim() {
                    return true;
                }

                @Override
                public List<TriggerEvent> next(int max, Duration wait) throws InterruptedException {
                    long deadline = System.nanoTime() + wait.toNanos();
                    if (stored < cursor) {
                        store.setCursor(subscription.id(), cursor);
                        stored = cursor;
                    }
                    while (true) {
                        long seen = newEvents.version();
                        List<TriggerEvent> events = log.read(cursor, EventFilter.ALL, max);
                        if (!events.isEmpty() || System.nanoTime() >= deadline) {
                            return events;
                        }
                        newEvents.awaitAfter(seen, NewEvents.slice(deadline));
                    }
                }

                @Override
                public void acknowledge(TriggerEvent event, DeliveryRecord outcome) {
                    cursor = Math.max(cursor, event.sequence());
                    if (outcome != null) {
                        store.recordAndAdvance(outcome, cursor);
                        stored = cursor;
                    }
                }

                @Override
                public void release() {}
            };
        }

        @Override
        public void removed(String subscriptionId) {}
    }
}
