package dev.connectorruntime.host.triggers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connectorruntime.host.store.EmbeddedStore;
import dev.connectorruntime.spi.ActionException;
import dev.connectorruntime.spi.FieldError;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Webhook delivery and pull from the embedded event log, to a real HTTP receiver on loopback. */
class EventDeliveryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LONG = Duration.ofSeconds(30);
    private static final Backoff FAST = new Backoff(Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofSeconds(30));
    private static final JsonNode SCHEMA = json("""
            {"type": "object", "properties": {
              "UserID": {"type": "string"},
              "ChangeType": {"type": "string", "enum": ["create_user", "update_user", "delete_user"]},
              "Department": {"type": "array", "items": {"type": "integer"}},
              "Seq": {"type": "integer"}}}""");

    @TempDir
    Path dir;
    private EmbeddedStore store;
    private EventLog log;
    private EventDelivery delivery;
    private final WebhookReceiver receiver = new WebhookReceiver();

    @BeforeEach
    void open() {
        open(FAST);
    }

    private void open(Backoff backoff) {
        store = new EmbeddedStore(dir);
        NewEvents newEvents = new NewEvents();
        log = newEvents.signalling(new EmbeddedEventLog(store, Clock.systemUTC()));
        delivery = EventDelivery.embedded(store, log, newEvents, new EventDelivery.Settings(
                id -> id.equals("change_contact_create_user") ? Optional.of(SCHEMA) : Optional.empty(),
                name -> name.equals("acme"), backoff, Clock.systemUTC(), Duration.ofDays(7)));
    }

    private void close() {
        delivery.close();
        store.close();
    }

    @AfterEach
    void stop() {
        close();
        receiver.close();
    }

    private WebhookSubscription subscribe(String filter) throws ActionException {
        ObjectNode request = JSON.createObjectNode().put("trigger", "change_contact_create_user").put("connection", "acme")
                .put("url", receiver.url().toString());
        if (filter != null) {
            request.set("filter", json(filter));
        }
        WebhookSubscription subscription = delivery.subscribe(request);
        receiver.secret(subscription.secret());
        return subscription;
    }

    private TriggerEvent append(String dedupKey, int seq) {
        return log.append(dedupKey, "change_contact_create_user", "acme", event(seq, "create_user")).orElseThrow();
    }

    private static ObjectNode event(int seq, String changeType) {
        ObjectNode event = JSON.createObjectNode().put("UserID", "user" + seq).put("ChangeType", changeType).put("Seq", seq);
        event.putArray("Department").add(1).add(seq % 3 + 2);
        return event;
    }

    @Test
    void eachDeliveryCarriesTheEnvelopeAndASignatureTheReceiverVerifies() throws Exception {
        subscribe(null);
        TriggerEvent stored = append("k1", 1);

        WebhookReceiver.Received got = receiver.await(1, LONG).get(0);
        assertTrue(got.signatureValid(), "the receiver's own HMAC check passes");
        assertEquals(stored.id(), got.body().get("id").asText());
        assertEquals(stored.id(), got.idHeader());
        assertEquals("change_contact_create_user", got.body().get("trigger").asText());
        assertEquals("acme", got.body().get("connection").asText());
        assertEquals(stored.receivedAt().toString(), got.body().get("receivedAt").asText());
        assertEquals(stored.event(), got.body().get("event"));
        assertEquals(Set.of("id", "trigger", "connection", "receivedAt", "event"), fieldNames(got.body()));

        byte[] body = JSON.writeValueAsBytes(got.body());
        String signature = WebhookSignature.sign("whsec_x", 1_700_000_000L, body);
        assertTrue(WebhookSignature.verify("whsec_x", "1700000000", body, signature));
        assertFalse(WebhookSignature.verify("whsec_x", "1700000001", body, signature), "another timestamp");
        assertFalse(WebhookSignature.verify("whsec_y", "1700000000", body, signature), "another secret");
        assertFalse(WebhookSignature.verify("whsec_x", "1700000000", "{}".getBytes(StandardCharsets.UTF_8), signature), "another body");
    }

    @Test
    void theSameEventStoredThreeTimesIsDeliveredOnce() throws Exception {
        subscribe(null);
        append("same", 1);
        assertTrue(log.append("same", "change_contact_create_user", "acme", event(1, "create_user")).isEmpty());
        assertTrue(log.append("same", "change_contact_create_user", "acme", event(1, "create_user")).isEmpty());
        append("other", 2); // delivered after the first: once it is here, nothing else is on the way

        List<WebhookReceiver.Received> got = receiver.await(2, LONG);
        TimeUnit.MILLISECONDS.sleep(300);
        assertEquals(List.of(1, 2), sequences(receiver.received()));
        assertEquals(2, got.stream().map(r -> r.body().get("id").asText()).distinct().count());
    }

    @Test
    void aSubscriberDownForAWhileGetsEveryEventInOrderWhenItReturns() throws Exception {
        WebhookSubscription subscription = subscribe(null);
        receiver.failing(true);
        for (int i = 1; i <= 20; i++) {
            append("k" + i, i);
        }
        WebhookReceiver.waitFor(() -> delivery.deliveries(subscription.id()).orElseThrow().stream()
                .anyMatch(r -> r.status() == DeliveryRecord.Status.RETRYING && r.attempts() >= 3), LONG);
        DeliveryRecord retrying = delivery.deliveries(subscription.id()).orElseThrow().get(0);
        assertEquals(DeliveryRecord.Status.RETRYING, retrying.status());
        assertEquals(503, retrying.lastStatus());
        assertEquals(1, delivery.deliveries(subscription.id()).orElseThrow().size(), "later events wait behind the first");

        receiver.failing(false);
        receiver.await(20, LONG);
        TimeUnit.MILLISECONDS.sleep(200);
        assertEquals(java.util.stream.IntStream.rangeClosed(1, 20).boxed().toList(), sequences(receiver.received()));
        assertTrue(receiver.received().stream().allMatch(WebhookReceiver.Received::signatureValid));
        WebhookReceiver.waitFor(() -> delivery.deliveries(subscription.id()).orElseThrow().stream()
                .allMatch(r -> r.status() == DeliveryRecord.Status.DELIVERED), LONG);
        assertEquals(20, delivery.deliveries(subscription.id()).orElseThrow().size());
    }

    @Test
    void retriesGiveUpIntoADeadLetterThatCanBeRedelivered() throws Exception {
        close();
        open(new Backoff(Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofSeconds(2))); // room for several attempts even on a busy machine
        WebhookSubscription subscription = subscribe(null);
        receiver.failing(true);
        TriggerEvent first = append("k1", 1);
        TriggerEvent second = append("k2", 2);
        WebhookReceiver.waitFor(() -> delivery.deliveries(subscription.id()).orElseThrow().stream()
                .filter(r -> r.status() == DeliveryRecord.Status.DEAD).count() == 2, LONG);
        List<DeliveryRecord> dead = delivery.deliveries(subscription.id()).orElseThrow();
        assertEquals(List.of(second.id(), first.id()), dead.stream().map(DeliveryRecord::eventId).toList(), "newest first");
        assertTrue(dead.stream().allMatch(r -> r.status() == DeliveryRecord.Status.DEAD && r.attempts() >= 2 && r.lastStatus() == 503));
        assertTrue(receiver.received().isEmpty());

        receiver.failing(false);
        TriggerEvent third = append("k3", 3);
        receiver.await(1, LONG);
        assertEquals(EventDelivery.Redelivery.QUEUED, delivery.redeliver(subscription.id(), first.id()));
        receiver.await(2, LONG);
        assertEquals(List.of(3, 1), sequences(receiver.received()));
        assertTrue(receiver.received().get(1).signatureValid());
        WebhookReceiver.waitFor(() -> delivery.deliveries(subscription.id()).orElseThrow().stream()
                .anyMatch(r -> r.eventId().equals(first.id()) && r.status() == DeliveryRecord.Status.DELIVERED), LONG);
        DeliveryRecord redelivered = delivery.deliveries(subscription.id()).orElseThrow().stream()
                .filter(r -> r.eventId().equals(first.id())).findFirst().orElseThrow();
        assertEquals(DeliveryRecord.Status.DELIVERED, redelivered.status());
        assertEquals(EventDelivery.Redelivery.NOT_DEAD, delivery.redeliver(subscription.id(), third.id()));
        assertEquals(EventDelivery.Redelivery.NOT_DEAD, delivery.redeliver(subscription.id(), first.id()));
        assertEquals(EventDelivery.Redelivery.NO_SUCH_DELIVERY, delivery.redeliver(subscription.id(), "nope"));
        assertEquals(DeliveryRecord.Status.DEAD, delivery.deliveries(subscription.id()).orElseThrow().stream()
                .filter(r -> r.eventId().equals(second.id())).findFirst().orElseThrow().status());
    }

    @Test
    void subscriptionsAndUndeliveredEventsSurviveARestart() throws Exception {
        WebhookSubscription subscription = subscribe(null);
        int port = receiver.port();
        receiver.stop();
        for (int i = 1; i <= 3; i++) {
            append("k" + i, i);
        }
        close();

        receiver.start(port);
        open(FAST);
        assertEquals(List.of(subscription.id()), delivery.subscriptions().stream().map(WebhookSubscription::id).toList());
        assertEquals(subscription.secret(), delivery.subscription(subscription.id()).orElseThrow().secret());
        receiver.await(3, LONG);
        assertEquals(List.of(1, 2, 3), sequences(receiver.received()));
        assertTrue(receiver.received().stream().allMatch(WebhookReceiver.Received::signatureValid));
    }

    @Test
    void aNewSubscriptionReceivesOnlyEventsStoredAfterIt() throws Exception {
        append("before", 1);
        subscribe(null);
        append("after", 2);
        receiver.await(1, LONG);
        TimeUnit.MILLISECONDS.sleep(200);
        assertEquals(List.of(2), sequences(receiver.received()));
    }

    @Test
    void filtersAreCheckedAgainstTheTriggersSchema() {
        assertEquals(List.of("/filter/field"), pointers("{\"field\": \"/UserId\", \"equals\": \"a\"}"));
        assertEquals(List.of("/filter/0/field"), pointers("[{\"field\": \"/UserId\", \"equals\": \"a\"}]"));
        assertEquals(List.of("/filter/equals"), pointers("{\"field\": \"/Seq\", \"equals\": \"1\"}"));
        assertEquals(List.of("/filter/oneOf"), pointers("{\"field\": \"/ChangeType\", \"oneOf\": [\"create_user\", \"create_party\"]}"));
        assertEquals(List.of("/filter/contains"), pointers("{\"field\": \"/Department\", \"contains\": \"2\"}"));
        assertEquals(List.of("/filter/1"), pointers("[{\"field\": \"/Seq\", \"equals\": 1}, {\"field\": \"/Seq\"}]"));
        assertEquals(List.of("/filter/equal"), pointers("{\"field\": \"/Seq\", \"equals\": 1, \"equal\": 2}"));
        ActionException e = assertThrows(ActionException.class, () -> delivery.subscribe(json(
                "{\"trigger\": \"nope\", \"connection\": \"other\", \"url\": \"ftp://x\", \"extra\": 1}")));
        assertEquals(Set.of("/trigger", "/connection", "/url", "/extra"),
                new HashSet<>(e.error().fieldErrors().stream().map(FieldError::pointer).toList()));
        assertTrue(delivery.subscriptions().isEmpty());
    }

    private List<String> pointers(String filter) {
        ActionException e = assertThrows(ActionException.class, () -> subscribe(filter));
        return e.error().fieldErrors().stream().map(FieldError::pointer).toList();
    }

    @Test
    void onlyEventsPassingTheFilterAreDelivered() throws Exception {
        subscribe("[{\"field\": \"/ChangeType\", \"oneOf\": [\"create_user\", \"update_user\"]}, {\"field\": \"/Department\", \"contains\": 3}]");
        for (int i = 1; i <= 9; i++) {
            log.append("k" + i, "change_contact_create_user", "acme", event(i, i == 4 ? "delete_user" : "create_user"));
        }
        log.append("elsewhere", "change_contact_create_user", "other", event(7, "create_user"));
        log.append("last", "change_contact_create_user", "acme", event(10, "update_user"));
        receiver.await(3, LONG);
        TimeUnit.MILLISECONDS.sleep(300);
        // Department contains 3 when seq % 3 == 1: 1, 4 (deleted: not wanted), 7, 10
        assertEquals(List.of(1, 7, 10), sequences(receiver.received()));
    }

    @Test
    void unsubscribingStopsDeliveries() throws Exception {
        WebhookSubscription subscription = subscribe(null);
        append("k1", 1);
        receiver.await(1, LONG);
        assertTrue(delivery.unsubscribe(subscription.id()));
        assertFalse(delivery.unsubscribe(subscription.id()));
        append("k2", 2);
        TimeUnit.MILLISECONDS.sleep(500);
        assertEquals(List.of(1), sequences(receiver.received()));
        assertTrue(delivery.deliveries(subscription.id()).isEmpty());
    }

    @Test
    void aLongPollReturnsAsSoonAsAMatchingEventIsStored() throws Exception {
        TriggerEvent old = append("k1", 1);
        EventFilter wanted = EventFilter.of("change_contact_create_user", "acme");
        assertEquals(List.of(old), delivery.poll(wanted, 0, Duration.ZERO, 10), "after 0: from the oldest kept");
        assertEquals(List.of(), delivery.poll(wanted, old.sequence(), Duration.ZERO, 10));
        CompletableFuture<List<TriggerEvent>> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return delivery.poll(wanted, old.sequence(), Duration.ofSeconds(20), 10);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        TimeUnit.MILLISECONDS.sleep(300);
        assertFalse(waiting.isDone(), "waits while there is nothing new");
        TriggerEvent next = append("k2", 2);
        assertEquals(List.of(next), waiting.get(10, TimeUnit.SECONDS));
    }

    private static List<Integer> sequences(List<WebhookReceiver.Received> received) {
        return received.stream().map(r -> r.body().path("event").path("Seq").asInt()).toList();
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
