package dev.connectorruntime.host.triggers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connectorruntime.host.RedisServer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three hosts share one event stream on a real redis-server: callbacks arrive at any of them, and each
 * event reaches a webhook subscription once, in order, whichever host stored it.
 */
class RedisDeliveryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LONG = Duration.ofSeconds(60);
    private static final JsonNode SCHEMA = JSON.createObjectNode().put("type", "object");

    private RedisServer redis;
    private final List<RedisEventLog> logs = new ArrayList<>();
    private final List<EventLog> hostLogs = new ArrayList<>();
    private final List<EventDelivery> hosts = new ArrayList<>();
    private final WebhookReceiver receiver = new WebhookReceiver();

    @BeforeEach
    void start() throws Exception {
        redis = new RedisServer();
        for (int i = 0; i < 3; i++) {
            startHost();
        }
    }

    private void startHost() {
        NewEvents newEvents = new NewEvents();
        RedisEventLog log = new RedisEventLog(redis.url(), Duration.ofDays(7), Clock.systemUTC());
        EventLog hostLog = newEvents.signalling(log);
        logs.add(log);
        hostLogs.add(hostLog);
        hosts.add(EventDelivery.redis(log, hostLog, newEvents, new EventDelivery.Settings(
                id -> Optional.of(SCHEMA), name -> true, new Backoff(Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofHours(1)),
                Clock.systemUTC(), Duration.ofDays(7))));
    }

    @AfterEach
    void stop() throws Exception {
        hosts.forEach(EventDelivery::close);
        logs.forEach(RedisEventLog::close);
        receiver.close();
        redis.close();
    }

    private WebhookSubscription subscribe(EventDelivery host) throws Exception {
        WebhookSubscription subscription = host.subscribe(JSON.createObjectNode().put("trigger", "t").put("url", receiver.url().toString()));
        receiver.secret(subscription.secret());
        return subscription;
    }

    private static ObjectNode event(int seq) {
        return JSON.createObjectNode().put("Seq", seq);
    }

    @Test
    void threeHostsDeliverEachOf300EventsExactlyOnceInOrder() throws Exception {
        WebhookSubscription subscription = subscribe(hosts.get(1));
        TimeUnit.SECONDS.sleep(3); // every host has seen the subscription (they look every 2 s)
        int stored = 0;
        for (int i = 0; i < 300; i++) {
            if (hostLogs.get(i % 3).append("k" + i, "t", "acme", event(i)).isPresent()) {
                stored++;
            }
            // WeCom's resend of the same callback lands on another host: recognised there, not stored again
            assertTrue(hostLogs.get((i + 1) % 3).append("k" + i, "t", "acme", event(i)).isEmpty());
        }
        assertEquals(300, stored);

        receiver.await(300, LONG);
        TimeUnit.SECONDS.sleep(2);
        List<WebhookReceiver.Received> got = receiver.received();
        assertEquals(300, got.size(), "each event once");
        assertEquals(300, new HashSet<>(got.stream().map(r -> r.body().get("id").asText()).toList()).size());
        assertEquals(IntStream.range(0, 300).boxed().toList(), got.stream().map(r -> r.body().path("event").path("Seq").asInt()).toList());
        assertTrue(got.stream().allMatch(WebhookReceiver.Received::signatureValid));
        for (EventDelivery host : hosts) {
            assertEquals(List.of(subscription.id()), host.subscriptions().stream().map(WebhookSubscription::id).toList());
        }
    }

    @Test
    void whenTheDeliveringHostStopsAnotherTakesOverWhereItLeft() throws Exception {
        subscribe(hosts.get(0));
        TimeUnit.SECONDS.sleep(3);
        for (int i = 0; i < 50; i++) {
            hostLogs.get(i % 3).append("a" + i, "t", "acme", event(i));
        }
        receiver.await(50, LONG);
        // stop each host in turn while events keep coming: the remaining ones carry on
        for (int round = 0; round < 2; round++) {
            hosts.get(round).close();
            for (int i = 0; i < 25; i++) {
                int seq = 50 + round * 25 + i;
                hostLogs.get(2).append("b" + seq, "t", "acme", event(seq));
            }
        }
        receiver.await(100, LONG);
        TimeUnit.SECONDS.sleep(1);
        List<Integer> seqs = receiver.received().stream().map(r -> r.body().path("event").path("Seq").asInt()).toList();
        assertEquals(IntStream.range(0, 100).boxed().toList(), seqs);
        hosts.remove(0);
        hosts.remove(0);
    }
}
