package dev.connectorruntime.host.triggers;

import io.lettuce.core.Consumer;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * WebhookSubscription feeds on the Redis event stream. Each subscription has a consumer group, which keeps its
 * position and the entries read but not yet acknowledged (they come again to whoever delivers next).
 * One host at a time holds a subscription's lease and delivers for it, so each event is delivered once
 * across hosts and in order; when that host dies its lease expires and another host takes over,
 * starting with the entries the dead host had not acknowledged.
 */
final class RedisFeeds implements SubscriptionFeed.Source {
    private static final String LEASE = "{triggers}:lease:";
    private static final String CONSUMER = "dispatcher";
    private static final Duration LEASE_TIME = Duration.ofSeconds(10);
    private static final Duration RENEW_AFTER = Duration.ofSeconds(2);
    private static final String CLAIM = """
            local holder = redis.call('GET', KEYS[1])
            if holder == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
            if not holder then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
            return 0""";
    private static final String RELEASE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0""";

    private final RedisEventLog log;
    private final RedisSubscriptionStore store;
    private final NewEvents newEvents;
    /** This host, as a lease holder. */
    private final String host = UUID.randomUUID().toString();

    RedisFeeds(RedisEventLog log, RedisSubscriptionStore store, NewEvents newEvents) {
        this.log = log;
        this.store = store;
        this.newEvents = newEvents;
    }

    private RedisCommands<String, String> redis() {
        return log.redis();
    }

    private static String group(String subscriptionId) {
        return "subscription:" + subscriptionId;
    }

    @Override
    public void created(WebhookSubscription subscription) {
        try {
            redis().xgroupCreate(XReadArgs.StreamOffset.from(RedisEventLog.STREAM, "$"), group(subscription.id()),
                    XGroupCreateArgs.Builder.mkstream());
        } catch (RedisCommandExecutionException e) {
            if (!String.valueOf(e.getMessage()).startsWith("BUSYGROUP")) {
                throw e;
            }
        }
        store.add(subscription);
    }

    @Override
    public void removed(String subscriptionId) {
        redis().xgroupDestroy(RedisEventLog.STREAM, group(subscriptionId));
        redis().del(LEASE + subscriptionId);
    }

    @Override
    public SubscriptionFeed open(WebhookSubscription subscription) {
        String lease = LEASE + subscription.id();
        Consumer<String> consumer = Consumer.from(group(subscription.id()), CONSUMER);
        return new SubscriptionFeed() {
            private long renewedAt;
            private boolean held;

            @Override
            public boolean claim() {
                long now = System.nanoTime();
                if (held && now - renewedAt < RENEW_AFTER.toNanos()) {
                    return true;
                }
                Long granted = redis().eval(CLAIM, ScriptOutputType.INTEGER, new String[] {lease}, host,
                        Long.toString(LEASE_TIME.toMillis()));
                held = granted != null && granted == 1;
                renewedAt = now;
                return held;
            }

            @Override
            public List<TriggerEvent> next(int max, Duration wait) throws InterruptedException {
                long deadline = System.nanoTime() + wait.toNanos();
                while (true) {
                    long seen = newEvents.version();
                    // first what was read but never acknowledged (by this host or one that died), then new entries
                    List<TriggerEvent> events = read(max, "0");
                    if (events.isEmpty()) {
                        events = read(max, ">");
                    }
                    if (!events.isEmpty() || System.nanoTime() >= deadline) {
                        return events;
                    }
                    newEvents.awaitAfter(seen, NewEvents.slice(deadline));
                }
            }

            private List<TriggerEvent> read(int max, String from) {
                List<StreamMessage<String, String>> entries = redis().xreadgroup(consumer, XReadArgs.Builder.count(max),
                        XReadArgs.StreamOffset.from(RedisEventLog.STREAM, from));
                List<TriggerEvent> events = new ArrayList<>(entries.size());
                for (StreamMessage<String, String> entry : entries) {
                    TriggerEvent event = RedisEventLog.event(entry);
                    if (event == null) {
                        redis().xack(RedisEventLog.STREAM, consumer.getGroup(), entry.getId());
                    } else {
                        events.add(event);
                    }
                }
                return events;
            }

            @Override
            public void acknowledge(TriggerEvent event, DeliveryRecord outcome) {
                if (outcome != null) {
                    store.record(outcome);
                }
                redis().xack(RedisEventLog.STREAM, consumer.getGroup(), RedisEventLog.entryId(event.sequence()));
            }

            @Override
            public void release() {
                if (held) {
                    redis().eval(RELEASE, ScriptOutputType.INTEGER, new String[] {lease}, host);
                    held = false;
                }
            }
        };
    }
}
