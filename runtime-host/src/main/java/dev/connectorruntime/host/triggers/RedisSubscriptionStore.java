package dev.connectorruntime.host.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Subscriptions and their delivery records in Redis, shared by the hosts that share the event stream:
 * a subscription made through any host is served by all. Each subscription keeps its latest 1,000
 * delivery records.
 */
final class RedisSubscriptionStore implements SubscriptionStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SUBSCRIPTIONS = "{triggers}:subscriptions";
    private static final String RECORDS = "{triggers}:deliveries:";
    private static final String ORDER = "{triggers}:delivery-order:";
    private static final String REDELIVER = "{triggers}:redeliver:";
    private static final int KEEP = 1000;

    private final RedisEventLog log;

    RedisSubscriptionStore(RedisEventLog log) {
        this.log = log;
    }

    private RedisCommands<String, String> redis() {
        return log.redis();
    }

    @Override
    public void add(WebhookSubscription subscription) {
        redis().hset(SUBSCRIPTIONS, subscription.id(), text(subscription.toJson(true)));
    }

    @Override
    public Optional<WebhookSubscription> find(String id) {
        return Optional.ofNullable(redis().hget(SUBSCRIPTIONS, id)).map(text -> WebhookSubscription.fromJson(json(text)));
    }

    @Override
    public List<WebhookSubscription> all() {
        List<WebhookSubscription> list = new ArrayList<>();
        for (Map.Entry<String, String> entry : redis().hgetall(SUBSCRIPTIONS).entrySet()) {
            list.add(WebhookSubscription.fromJson(json(entry.getValue())));
        }
        list.sort((a, b) -> a.id().compareTo(b.id()));
        return list;
    }

    @Override
    public boolean remove(String id) {
        boolean removed = redis().hdel(SUBSCRIPTIONS, id) > 0;
        redis().del(RECORDS + id, ORDER + id, REDELIVER + id);
        return removed;
    }

    @Override
    public void record(DeliveryRecord record) {
        String id = record.subscriptionId();
        redis().hset(RECORDS + id, record.eventId(), text(record.toStored()));
        redis().zadd(ORDER + id, record.sequence(), record.eventId());
        if (record.status() == DeliveryRecord.Status.REDELIVER) {
            redis().zadd(REDELIVER + id, record.sequence(), record.eventId());
        } else {
            redis().zrem(REDELIVER + id, record.eventId());
        }
        long excess = redis().zcard(ORDER + id) - KEEP;
        if (excess > 0) {
            List<String> oldest = redis().zrange(ORDER + id, 0, excess - 1);
            redis().zrem(ORDER + id, oldest.toArray(String[]::new));
            redis().hdel(RECORDS + id, oldest.toArray(String[]::new));
        }
    }

    @Override
    public Optional<DeliveryRecord> delivery(String subscriptionId, String eventId) {
        return Optional.ofNullable(redis().hget(RECORDS + subscriptionId, eventId)).map(t -> DeliveryRecord.fromStored(json(t)));
    }

    @Override
    public List<DeliveryRecord> deliveries(String subscriptionId, int limit) {
        return records(subscriptionId, redis().zrevrange(ORDER + subscriptionId, 0, limit - 1));
    }

    @Override
    public List<DeliveryRecord> redeliveries(String subscriptionId) {
        return records(subscriptionId, redis().zrange(REDELIVER + subscriptionId, 0, 99));
    }

    private List<DeliveryRecord> records(String subscriptionId, List<String> eventIds) {
        List<DeliveryRecord> list = new ArrayList<>();
        if (eventIds.isEmpty()) {
            return list;
        }
        for (var value : redis().hmget(RECORDS + subscriptionId, eventIds.toArray(String[]::new))) {
            if (value.hasValue()) {
                list.add(DeliveryRecord.fromStored(json(value.getValue())));
            }
        }
        return list;
    }

    private static String text(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Records are capped per subscription instead (the latest 1,000 are kept). */
    @Override
    public void purgeOlderThan(java.time.Instant cutoff) {}
}
