package dev.connectorruntime.host.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.connectorruntime.host.store.EmbeddedStore;
import dev.connectorruntime.spi.ActionError;
import dev.connectorruntime.spi.ActionException;
import dev.connectorruntime.spi.FieldError;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Delivery of stored trigger events to workflows that are not in this process: webhook subscriptions
 * (signed POSTs, retried with backoff, dead letters and redelivery, order per subscription) and pull
 * (long poll and event streams from a cursor).
 *
 * <p>Delivery is at least once: an event is marked delivered only after the receiver answered 2xx, so
 * a crash in between sends it again; every event carries a stable {@code id} to deduplicate on.
 */
public final class EventDelivery implements AutoCloseable {
    private static final int MAX_DELIVERY_RECORDS = 1000;

    private final EventLog log;
    private final NewEvents newEvents;
    private final SubscriptionStore store;
    private final SubscriptionFeed.Source feeds;
    private final WebhookDispatcher dispatcher;
    private final Function<String, Optional<JsonNode>> triggerSchemas;
    private final Predicate<String> knownConnection;
    private final Clock clock;

    private EventDelivery(EventLog log, NewEvents newEvents, SubscriptionStore store, SubscriptionFeed.Source feeds,
                          Settings settings) {
        this.log = log;
        this.newEvents = newEvents;
        this.store = store;
        this.feeds = feeds;
        this.triggerSchemas = settings.triggerSchemas();
        this.knownConnection = settings.knownConnection();
        this.clock = settings.clock();
        this.dispatcher = new WebhookDispatcher(store, feeds, settings.backoff(), clock, settings.retention());
        dispatcher.start();
    }

    /**
     * What delivery needs from the host.
     *
     * @param triggerSchemas a trigger's event schema by trigger id (empty: no such trigger)
     * @param knownConnection whether a connection name exists
     */
    public record Settings(Function<String, Optional<JsonNode>> triggerSchemas, Predicate<String> knownConnection,
                           Backoff backoff, Clock clock, Duration retention) {}

    /** Delivery from the embedded event log, with subscriptions in the embedded store. */
    public static EventDelivery embedded(EmbeddedStore db, EventLog log, NewEvents newEvents, Settings settings) {
        H2SubscriptionStore store = new H2SubscriptionStore(db);
        return new EventDelivery(log, newEvents, store, new H2SubscriptionStore.Feeds(store, log, newEvents), settings);
    }

    /**
     * Delivery from the event log on Redis shared by several hosts: subscriptions live in Redis too, and
     * each subscription's events go through a consumer group, one host at a time, so each event is
     * delivered once across hosts.
     *
     * @param log {@code redis} as the host uses it (signalling this host's waiters on append)
     */
    public static EventDelivery redis(RedisEventLog redis, EventLog log, NewEvents newEvents, Settings settings) {
        RedisSubscriptionStore store = new RedisSubscriptionStore(redis);
        return new EventDelivery(log, newEvents, store, new RedisFeeds(redis, store, newEvents), settings);
    }

    /**
     * Creates a webhook subscription from {@code {trigger, connection?, filter?, url}}.
     *
     * @return the subscription, whose secret is shown this once
     * @throws ActionException INVALID_INPUT naming each bad field by JSON Pointer
     */
    public WebhookSubscription subscribe(JsonNode request) throws ActionException {
        List<FieldError> errors = new ArrayList<>();
        if (request == null || !request.isObject()) {
            throw invalid(List.of(new FieldError("", "type", "the body must be an object {trigger, connection, filter, url}")));
        }
        request.fieldNames().forEachRemaining(name -> {
            if (!List.of("trigger", "connection", "filter", "url").contains(name)) {
                errors.add(new FieldError("/" + name, "additionalProperties", "/" + name + ": unknown field; allowed: trigger, connection, filter, url"));
            }
        });
        String triggerId = text(request, "trigger", true, errors);
        String connection = text(request, "connection", false, errors);
        String url = text(request, "url", true, errors);
        JsonNode schema = null;
        if (triggerId != null) {
            schema = triggerSchemas.apply(triggerId).orElse(null);
            if (schema == null) {
                errors.add(new FieldError("/trigger", "enum", "/trigger: no trigger '" + triggerId + "' (GET /api/triggers lists them)"));
            }
        }
        if (connection != null && !knownConnection.test(connection)) {
            errors.add(new FieldError("/connection", "enum", "/connection: no connection '" + connection + "'"));
        }
        URI target = null;
        if (url != null) {
            target = webhookUrl(url);
            if (target == null) {
                errors.add(new FieldError("/url", "format", "/url: must be an absolute http or https URL"));
            }
        }
        EventFilter filter = null;
        try {
            filter = EventFilter.of(triggerId, connection).where(request.get("filter"));
            if (schema != null) {
                boolean single = request.path("filter").isObject(); // then its pointers have no index
                for (FieldError error : filter.check(schema)) {
                    errors.add(single ? new FieldError(error.pointer().replaceFirst("^/filter/0", "/filter"), error.rule(),
                            error.message().replaceFirst("^/filter/0", "/filter")) : error);
                }
            }
        } catch (EventFilter.InvalidFilter e) {
            errors.addAll(e.errors());
        }
        if (!errors.isEmpty()) {
            throw invalid(errors);
        }
        WebhookSubscription subscription = new WebhookSubscription("sub_" + UUID.randomUUID().toString().replace("-", ""), filter, target,
                WebhookSignature.newSecret(), clock.instant());
        feeds.created(subscription);
        dispatcher.refresh();
        return subscription;
    }

    public List<WebhookSubscription> subscriptions() {
        return store.all();
    }

    public Optional<WebhookSubscription> subscription(String id) {
        return store.find(id);
    }

    /** Stops deliveries to the subscription and forgets it; false when there was none. */
    public boolean unsubscribe(String id) {
        boolean removed = store.remove(id);
        if (removed) {
            feeds.removed(id);
            dispatcher.refresh();
        }
        return removed;
    }

    /** The subscription's latest delivery records, newest first; empty when there is no such subscription. */
    public Optional<List<DeliveryRecord>> deliveries(String subscriptionId) {
        if (store.find(subscriptionId).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(store.deliveries(subscriptionId, MAX_DELIVERY_RECORDS));
    }

    /** What {@link #redeliver} did. */
    public enum Redelivery { QUEUED, NO_SUCH_DELIVERY, NOT_DEAD }

    /** Sends a dead letter again (a new round of attempts with backoff). */
    public Redelivery redeliver(String subscriptionId, String eventId) {
        Optional<DeliveryRecord> record = store.delivery(subscriptionId, eventId);
        if (record.isEmpty()) {
            return Redelivery.NO_SUCH_DELIVERY;
        }
        if (record.get().status() != DeliveryRecord.Status.DEAD) {
            return Redelivery.NOT_DEAD;
        }
        store.record(record.get().with(DeliveryRecord.Status.REDELIVER, record.get().attempts(), record.get().lastStatus(),
                record.get().lastError(), clock.instant()));
        newEvents.signal(); // wakes the subscription's worker, which sends redeliveries first
        return Redelivery.QUEUED;
    }

    /**
     * Events after the cursor that pass the filter, oldest first; when there are none yet, waits up to
     * {@code wait} for one (a long poll).
     */
    public List<TriggerEvent> poll(EventFilter filter, long after, Duration wait, int limit) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            long seen = newEvents.version();
            List<TriggerEvent> events = log.read(after, filter, limit);
            if (!events.isEmpty() || System.nanoTime() >= deadline) {
                return events;
            }
            newEvents.awaitAfter(seen, NewEvents.slice(deadline));
        }
    }

    @Override
    public void close() {
        dispatcher.close();
    }

    private static URI webhookUrl(String url) {
        try {
            URI uri = URI.create(url);
            boolean http = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
            return http && uri.getHost() != null ? uri : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String text(JsonNode request, String name, boolean required, List<FieldError> errors) {
        JsonNode value = request.get(name);
        if (value == null || value.isNull()) {
            if (required) {
                errors.add(new FieldError("/" + name, "required", "/" + name + ": required"));
            }
            return null;
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            errors.add(new FieldError("/" + name, "type", "/" + name + ": must be a non-empty string"));
            return null;
        }
        return value.asText();
    }

    private static ActionException invalid(List<FieldError> errors) {
        return new ActionException(ActionError.invalidInput(errors));
    }
}
