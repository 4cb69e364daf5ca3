package dev.connectorruntime.host.triggers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers events to webhook subscriptions: one worker per subscription takes its feed in order and
 * POSTs each wanted event, signed; a failing delivery is retried with backoff while later events of the
 * same subscription wait (order per subscription), and dead-lettered when the backoff gives up. An event
 * is acknowledged on the feed only once delivered or dead-lettered, so a crash means it is sent again
 * (at least once; receivers deduplicate on the event id).
 */
final class WebhookDispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 100;
    /** How often a worker without a lease or without events looks again. */
    private static final Duration IDLE = Duration.ofSeconds(1);

    private final SubscriptionStore store;
    private final SubscriptionFeed.Source feeds;
    private final Backoff backoff;
    private final Clock clock;
    private final Duration retention;
    private final CloseableHttpClient http;
    private final Map<String, Worker> workers = new HashMap<>();
    private final Thread watcher;
    private volatile boolean running = true;

    WebhookDispatcher(SubscriptionStore store, SubscriptionFeed.Source feeds, Backoff backoff, Clock clock, Duration retention) {
        this.store = store;
        this.retention = retention;
        this.feeds = feeds;
        this.backoff = backoff;
        this.clock = clock;
        this.http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(200).setMaxConnPerRoute(20)
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(Timeout.ofSeconds(5)).build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.ofSeconds(10)).build())
                .disableAutomaticRetries().disableRedirectHandling().disableCookieManagement()
                .build();
        this.watcher = new Thread(this::watch, "webhook-subscriptions");
        watcher.setDaemon(true);
    }

    void start() {
        refresh();
        watcher.start();
    }

    /** Starts workers for new subscriptions and stops those of removed ones (also those made on other hosts). */
    synchronized void refresh() {
        if (!running) {
            return;
        }
        Map<String, WebhookSubscription> current = new HashMap<>();
        store.all().forEach(s -> current.put(s.id(), s));
        workers.entrySet().removeIf(entry -> {
            if (!current.containsKey(entry.getKey())) {
                entry.getValue().stop();
                return true;
            }
            return false;
        });
        current.forEach((id, subscription) -> workers.computeIfAbsent(id, k -> new Worker(subscription)));
    }

    /** Every 2 s: subscriptions made or removed elsewhere; every hour: delivery records past retention. */
    private void watch() {
        long lastPurge = 0;
        while (running) {
            try {
                Thread.sleep(2000);
                if (!running) {
                    return;
                }
                refresh();
                if (System.nanoTime() - lastPurge > TimeUnit.HOURS.toNanos(1)) {
                    store.purgeOlderThan(clock.instant().minus(retention));
                    lastPurge = System.nanoTime();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("Could not read the subscriptions: {}", e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        List<Worker> stopping;
        synchronized (this) {
            running = false;
            stopping = List.copyOf(workers.values());
            workers.clear();
        }
        stopping.forEach(Worker::stop); // the watcher, too, ends at its next look (not interrupted: see Worker.stop)
        for (Worker worker : stopping) {
            try {
                worker.thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        try {
            http.close();
        } catch (IOException e) {
            LOG.debug("closing the webhook client", e);
        }
    }

    /** The envelope POSTed for an event. */
    static byte[] payload(TriggerEvent event) {
        ObjectNode body = JSON.createObjectNode();
        body.put("id", event.id()).put("trigger", event.triggerId()).put("connection", event.connection())
                .put("receivedAt", event.receivedAt().toString()).set("event", event.event());
        try {
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One subscription's lane. */
    private final class Worker {
        private final WebhookSubscription subscription;
        private final SubscriptionFeed feed;
        private final Thread thread;
        private volatile boolean active = true;

        Worker(WebhookSubscription subscription) {
            this.subscription = subscription;
            this.feed = feeds.open(subscription);
            this.thread = new Thread(this::run, "webhook-" + subscription.id());
            thread.setDaemon(true);
            thread.start();
        }

        /**
         * Asks the worker to stop; it does within a second or when its HTTP call ends. Never by
         * interrupting it: an interrupt would close the embedded store's file under a running query.
         */
        void stop() {
            active = false;
        }

        private void run() {
            try {
                while (active) {
                    try {
                        if (!feed.claim()) {
                            Thread.sleep(IDLE.toMillis());
                            continue;
                        }
                        redeliverRequested();
                        for (TriggerEvent event : feed.next(BATCH, IDLE)) {
                            if (!active) {
                                return;
                            }
                            DeliveryRecord outcome = null;
                            if (subscription.wants(event)) {
                                outcome = deliver(event);
                                if (outcome == null) {
                                    break; // lost the lease or stopping: the event stays unacknowledged
                                }
                            }
                            feed.acknowledge(event, outcome);
                        }
                    } catch (InterruptedException e) {
                        return;
                    } catch (RuntimeException e) {
                        LOG.warn("Webhook subscription {}: {}", subscription.id(), e.toString());
                        pause(IDLE);
                    }
                }
            } finally {
                feed.release();
            }
        }

        /** Sends dead letters asked to be sent again: one round of attempts each, dead again on failure. */
        private void redeliverRequested() throws InterruptedException {
            for (DeliveryRecord record : store.redeliveries(subscription.id())) {
                byte[] body = record.payload().getBytes(StandardCharsets.UTF_8);
                DeliveryRecord restarted = new DeliveryRecord(record.subscriptionId(), record.eventId(), record.sequence(),
                        DeliveryRecord.Status.RETRYING, record.attempts(), record.lastStatus(), record.lastError(),
                        clock.instant(), clock.instant(), record.payload());
                DeliveryRecord outcome = sendUntilDoneOrDead(restarted, body);
                if (outcome == null) {
                    return;
                }
                store.record(outcome);
            }
        }

        /** Delivers or dead-letters the event (the record to store); null when stopped or the lease was lost first. */
        private DeliveryRecord deliver(TriggerEvent event) throws InterruptedException {
            byte[] body = payload(event);
            Instant now = clock.instant();
            DeliveryRecord record = new DeliveryRecord(subscription.id(), event.id(), event.sequence(),
                    DeliveryRecord.Status.RETRYING, 0, 0, null, now, now, new String(body, StandardCharsets.UTF_8));
            return sendUntilDoneOrDead(record, body);
        }

        /** Attempts until delivered or dead (the record to store), retrying with backoff; null when stopped first. */
        private DeliveryRecord sendUntilDoneOrDead(DeliveryRecord record, byte[] body) throws InterruptedException {
            int attempts = record.attempts();
            int retry = 0;
            while (active) {
                attempts++;
                Attempt attempt = post(record.eventId(), body);
                Instant now = clock.instant();
                if (attempt.ok()) {
                    return record.with(DeliveryRecord.Status.DELIVERED, attempts, attempt.status(), null, now);
                }
                retry++;
                if (!backoff.mayRetry(Duration.between(record.firstAttemptAt(), now))) {
                    LOG.warn("Webhook subscription {}: event {} dead-lettered after {} attempts ({})",
                            subscription.id(), record.eventId(), attempts, attempt.error());
                    return record.with(DeliveryRecord.Status.DEAD, attempts, attempt.status(), attempt.error(), now);
                }
                store.record(record.with(DeliveryRecord.Status.RETRYING, attempts, attempt.status(), attempt.error(), now));
                if (!waitHoldingLease(backoff.delay(retry))) {
                    return null;
                }
            }
            return null;
        }

        /** Sleeps, renewing the lease; false when the lease was lost or the worker stopped. */
        private boolean waitHoldingLease(Duration delay) throws InterruptedException {
            long deadline = System.nanoTime() + delay.toNanos();
            while (active) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return true;
                }
                TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.SECONDS.toNanos(1)));
                if (!feed.claim()) {
                    return false;
                }
            }
            return false;
        }

        private Attempt post(String eventId, byte[] body) {
            long timestamp = clock.instant().getEpochSecond();
            HttpPost post = new HttpPost(subscription.url());
            post.setHeader(WebhookSignature.ID_HEADER, eventId);
            post.setHeader(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp));
            post.setHeader(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(subscription.secret(), timestamp, body));
            post.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
            try {
                return http.execute(post, response -> {
                    int status = response.getCode();
                    return new Attempt(status, status >= 200 && status < 300 ? null : "HTTP " + status);
                });
            } catch (IOException e) {
                return new Attempt(0, e.getClass().getSimpleName());
            }
        }

        private void pause(Duration duration) {
            try {
                Thread.sleep(duration.toMillis());
            } catch (InterruptedException e) {
                active = false;
            }
        }
    }

    private record Attempt(int status, String error) {
        boolean ok() {
            return error == null;
        }
    }
}
