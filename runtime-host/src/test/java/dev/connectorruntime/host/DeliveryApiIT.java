package dev.connectorruntime.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.connectorruntime.host.http.ApiKeys;
import dev.connectorruntime.host.http.ApiServer;
import dev.connectorruntime.host.triggers.WebhookReceiver;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Delivery over the real HTTP API: encrypted WeCom callbacks in at {@code /callbacks/...}, out to a
 * webhook subscriber (signed, once however often WeCom resends), to a long poll and to an event stream.
 */
class DeliveryApiIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final Duration LONG = Duration.ofSeconds(30);
    private static final String TOKEN = "QDG6eK";
    private static final String KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
    private static final String CORP = "wx5823bf96d3bd56c7";

    private TestHost test;
    private ApiServer server;
    private String base;
    private final WebhookReceiver receiver = new WebhookReceiver();
    private final WeComCallbackSender wecom = new WeComCallbackSender(TOKEN, KEY, CORP);

    @BeforeEach
    void start() throws Exception {
        test = TestHost.start(ConnectorHost.builder().retryPolicy(TestHost.FAST_RETRIES)
                .dataDir(Files.createTempDirectory("delivery-data")));
        String kind = "{\"token\": \"" + TOKEN + "\", \"encodingAesKey\": \"" + KEY + "\"}";
        test.host.addConnection(JSON.readTree("{\"name\": \"corp\", \"corpId\": \"" + CORP + "\", \"baseUrl\": \"http://127.0.0.1:9\","
                + " \"secrets\": {\"contact\": \"s\"}, \"callbacks\": {\"contact\": " + kind + "}}"));
        server = ApiServer.start(test.host, null, ApiServer.Settings.local());
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterEach
    void stop() {
        server.close();
        test.close();
        receiver.close();
    }

    static String createUser(String user) {
        return "<xml><ToUserName><![CDATA[" + CORP + "]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>"
                + "<CreateTime>1700000000</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_contact]]></Event>"
                + "<ChangeType>create_user</ChangeType><UserID><![CDATA[" + user + "]]></UserID><Name><![CDATA[" + user + "]]></Name>"
                + "<Department><![CDATA[1,2]]></Department></xml>";
    }

    private void callback(String xml) throws Exception {
        HttpResponse<String> response = wecom.post(base + "/callbacks/corp/contact", xml);
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("success", response.body());
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (body != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode subscribe(String filter) throws Exception {
        HttpResponse<String> created = call("POST", "/api/subscriptions", "{\"trigger\": \"change_contact_create_user\", \"connection\": \"corp\","
                + (filter == null ? "" : " \"filter\": " + filter + ",") + " \"url\": \"" + receiver.url() + "\"}");
        assertEquals(201, created.statusCode(), created.body());
        JsonNode subscription = JSON.readTree(created.body());
        receiver.secret(subscription.get("secret").asText());
        return subscription;
    }

    @Test
    void aCallbackWeComSendsThreeTimesReachesTheWebhookOnceSignedAndTheSubscriptionCanBeManaged() throws Exception {
        JsonNode subscription = subscribe("{\"field\": \"/Department\", \"contains\": 2}");
        String id = subscription.get("id").asText();
        assertTrue(subscription.get("secret").asText().startsWith("whsec_"));

        for (int i = 0; i < 3; i++) {
            callback(createUser("zhangsan")); // WeCom's resends: new nonce and ciphertext, same event
        }
        callback(createUser("lisi"));
        List<WebhookReceiver.Received> got = receiver.await(2, LONG);
        TimeUnit.MILLISECONDS.sleep(500);
        assertEquals(List.of("zhangsan", "lisi"), receiver.received().stream().map(r -> r.body().at("/event/UserID").asText()).toList());
        assertTrue(got.stream().allMatch(WebhookReceiver.Received::signatureValid));
        assertEquals(2, new HashSet<>(got.stream().map(r -> r.body().get("id").asText()).toList()).size());
        assertEquals(List.of(1, 2), JSON.convertValue(got.get(0).body().at("/event/Department"), List.class),
                "the event as the trigger's schema shapes it");

        JsonNode shown = JSON.readTree(call("GET", "/api/subscriptions/" + id, null).body());
        assertFalse(shown.has("secret"), "the secret is shown once, at creation");
        assertEquals("change_contact_create_user", shown.get("trigger").asText());
        JsonNode listed = JSON.readTree(call("GET", "/api/subscriptions", null).body());
        assertEquals(1, listed.size());
        assertFalse(listed.get(0).has("secret"));
        WebhookReceiver.waitFor(() -> {
            try {
                JsonNode records = JSON.readTree(call("GET", "/api/subscriptions/" + id + "/deliveries", null).body());
                return records.size() == 2 && records.get(0).get("status").asText().equals("delivered");
            } catch (Exception e) {
                return false;
            }
        }, LONG);
        JsonNode records = JSON.readTree(call("GET", "/api/subscriptions/" + id + "/deliveries", null).body());
        assertEquals(got.get(1).body().get("id").asText(), records.get(0).get("eventId").asText(), "newest first");
        assertEquals(409, call("POST", "/api/subscriptions/" + id + "/deliveries/" + records.get(0).get("eventId").asText() + "/redeliver",
                "{}").statusCode(), "only a dead letter is redelivered");

        assertEquals(204, call("DELETE", "/api/subscriptions/" + id, null).statusCode());
        assertEquals(404, call("GET", "/api/subscriptions/" + id, null).statusCode());
        assertEquals(404, call("DELETE", "/api/subscriptions/" + id, null).statusCode());
        callback(createUser("wangwu"));
        TimeUnit.MILLISECONDS.sleep(500);
        assertEquals(2, receiver.received().size());
    }

    @Test
    void aBadSubscriptionNamesEachField() throws Exception {
        HttpResponse<String> response = call("POST", "/api/subscriptions", "{\"trigger\": \"change_contact_create_user\", "
                + "\"connection\": \"nope\", \"url\": \"not a url\", \"filter\": {\"field\": \"/UserId\", \"equals\": \"x\"}}");
        assertEquals(422, response.statusCode());
        List<String> pointers = new ArrayList<>();
        JSON.readTree(response.body()).at("/error/fieldErrors").forEach(e -> pointers.add(e.get("pointer").asText()));
        assertEquals(new HashSet<>(List.of("/connection", "/url", "/filter/field")), new HashSet<>(pointers));
        assertEquals("[]", call("GET", "/api/subscriptions", null).body());
    }

    @Test
    void aLongPollWaitsForTheNextCallbackAndTheCursorMovesOn() throws Exception {
        callback(createUser("first"));
        JsonNode page = JSON.readTree(call("GET", "/api/events?trigger=change_contact_create_user&connection=corp", null).body());
        assertEquals(1, page.get("events").size());
        JsonNode first = page.get("events").get(0);
        assertEquals("first", first.at("/event/UserID").asText());
        long cursor = page.get("cursor").asLong();
        assertEquals(first.get("sequence").asLong(), cursor);

        CompletableFuture<HttpResponse<String>> waiting = HTTP.sendAsync(HttpRequest.newBuilder(URI.create(base
                + "/api/events?trigger=change_contact_create_user&after=" + cursor + "&wait=20")).build(), HttpResponse.BodyHandlers.ofString());
        TimeUnit.MILLISECONDS.sleep(500);
        assertFalse(waiting.isDone(), "nothing new yet: the poll waits");
        callback(createUser("second"));
        JsonNode next = JSON.readTree(waiting.get(10, TimeUnit.SECONDS).body());
        assertEquals(List.of("second"), names(next.get("events")));
        assertTrue(next.get("cursor").asLong() > cursor);
        assertEquals(List.of("second"), names(JSON.readTree(call("GET", "/api/events?filter="
                + java.net.URLEncoder.encode("{\"field\":\"/UserID\",\"equals\":\"second\"}", StandardCharsets.UTF_8), null).body()).get("events")));
        assertEquals(422, call("GET", "/api/events?after=-1", null).statusCode());
    }

    @Test
    void anEventStreamSendsEachEventWithItsCursorAndResumesFromLastEventId() throws Exception {
        callback(createUser("before"));
        List<String> lines = new ArrayList<>();
        HttpResponse<java.io.InputStream> stream = HTTP.send(HttpRequest.newBuilder(URI.create(base
                + "/api/events/stream?trigger=change_contact_create_user")).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, stream.statusCode());
        assertTrue(stream.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        BufferedReader reader = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
        CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> {
            try {
                for (String line; (line = reader.readLine()) != null; ) {
                    synchronized (lines) {
                        lines.add(line);
                    }
                }
            } catch (java.io.IOException e) {
                // closed
            }
        });
        callback(createUser("during"));
        WebhookReceiver.waitFor(() -> dataLines(lines).size() >= 2, LONG);
        List<JsonNode> events = dataLines(lines);
        assertEquals(List.of("before", "during"), events.stream().map(e -> e.at("/event/UserID").asText()).toList());
        synchronized (lines) {
            assertTrue(lines.contains("event: change_contact_create_user"), lines.toString());
            assertTrue(lines.contains("id: " + events.get(0).get("sequence").asLong()), lines.toString());
        }
        stream.body().close();
        reading.cancel(true);

        HttpResponse<java.io.InputStream> resumed = HTTP.send(HttpRequest.newBuilder(URI.create(base
                + "/api/events/stream?trigger=change_contact_create_user")).header("Accept", "text/event-stream")
                .header("Last-Event-ID", Long.toString(events.get(0).get("sequence").asLong())).build(), HttpResponse.BodyHandlers.ofInputStream());
        BufferedReader again = new BufferedReader(new InputStreamReader(resumed.body(), StandardCharsets.UTF_8));
        String data = null;
        for (String line; (line = again.readLine()) != null; ) {
            if (line.startsWith("data: ")) {
                data = line.substring("data: ".length());
                break;
            }
        }
        resumed.body().close();
        assertEquals("during", JSON.readTree(data).at("/event/UserID").asText(), "resumes after the Last-Event-ID");
    }

    @Test
    void withKeysSubscriptionsAndEventsNeedAKeyAllowedTheConnectionWhileCallbacksNeedNone() throws Exception {
        String kind = "{\"token\": \"" + TOKEN + "\", \"encodingAesKey\": \"" + KEY + "\"}";
        test.host.addConnection(JSON.readTree("{\"name\": \"other\", \"corpId\": \"" + CORP + "\", \"baseUrl\": \"http://127.0.0.1:9\","
                + " \"secrets\": {\"contact\": \"s\"}, \"callbacks\": {\"contact\": " + kind + "}}"));
        String corpKey = ApiKeys.newKey();
        java.nio.file.Path keys = Files.createTempFile("keys", ".json");
        Files.writeString(keys, "{\"keys\": [{\"name\": \"corp-only\", \"sha256\": \"" + ApiKeys.hash(corpKey) + "\", \"connections\": [\"corp\"]}]}");
        server.close();
        server = ApiServer.start(test.host, null, ApiServer.Settings.local().withKeys(ApiKeys.read(keys)));
        base = "http://127.0.0.1:" + server.port();

        String subscription = "{\"trigger\": \"change_contact_create_user\", \"connection\": \"corp\", \"url\": \"" + receiver.url() + "\"}";
        assertEquals(401, call("POST", "/api/subscriptions", subscription).statusCode());
        assertEquals(401, call("GET", "/api/events", null).statusCode());
        HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/subscriptions"))
                .header("Authorization", "Bearer " + corpKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(subscription)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());
        HttpResponse<String> elsewhere = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/subscriptions"))
                .header("Authorization", "Bearer " + corpKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(subscription.replace("\"corp\"", "\"other\""))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, elsewhere.statusCode(), "the key may not use the connection 'other'");
        assertEquals(403, HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/events?connection=other"))
                .header("Authorization", "Bearer " + corpKey).build(), HttpResponse.BodyHandlers.ofString()).statusCode());

        callback(createUser("keyed")); // WeCom sends no key: the signature is the callback's protection
        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/events?connection=corp&wait=10"))
                .header("Authorization", "Bearer " + corpKey).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(List.of("keyed"), names(JSON.readTree(page.body()).get("events")));
    }

    private static List<JsonNode> dataLines(List<String> lines) {
        List<JsonNode> events = new ArrayList<>();
        synchronized (lines) {
            for (String line : lines) {
                if (line.startsWith("data: ")) {
                    try {
                        events.add(JSON.readTree(line.substring("data: ".length())));
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        return events;
    }

    private static List<String> names(JsonNode events) {
        List<String> names = new ArrayList<>();
        events.forEach(e -> names.add(e.at("/event/UserID").asText()));
        return names;
    }
}
