package dev.connectorruntime.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.connectorruntime.host.http.ApiServer;
import dev.connectorruntime.host.triggers.EventFilter;
import dev.connectorruntime.host.triggers.InProcessSubscription;
import dev.connectorruntime.host.triggers.TriggerEvent;
import io.micrometer.core.instrument.Counter;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Inbound WeCom callbacks through the real HTTP routes of {@code serve}: the official known-answer
 * vectors, storage before acknowledgement, resends and replays, subscriptions, and durability across a
 * restart of the host.
 */
class CallbacksIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String TOKEN = "QDG6eK";
    static final String KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
    static final String CORP = "wx5823bf96d3bd56c7";

    Path dataDir;
    TestHost test;
    ApiServer server;
    String base;

    @BeforeEach
    void start() throws Exception {
        dataDir = Files.createTempDirectory("callbacks-data");
        startHost();
    }

    void startHost() throws Exception {
        test = TestHost.start(ConnectorHost.builder().retryPolicy(TestHost.FAST_RETRIES).dataDir(dataDir));
        test.host.addConnection(connection("corp"));
        server = ApiServer.start(test.host, null, ApiServer.Settings.local());
        base = "http://127.0.0.1:" + server.port();
    }

    static JsonNode connection(String name) throws Exception {
        String kind = "{\"token\": \"" + TOKEN + "\", \"encodingAesKey\": \"" + KEY + "\"}";
        return JSON.readTree("{\"name\": \"" + name + "\", \"corpId\": \"" + CORP + "\", \"baseUrl\": \"http://127.0.0.1:9\","
                + " \"secrets\": {\"app\": \"s\"}, \"callbacks\": {\"app\": " + kind + ", \"contact\": " + kind
                + ", \"aibot\": " + kind + "}}");
    }

    @AfterEach
    void stop() {
        server.close();
        test.close();
    }

    static JsonNode vector(String id) throws Exception {
        try (InputStream in = CallbacksIT.class.getResourceAsStream("/callbacks/vectors.json")) {
            for (JsonNode v : JSON.readTree(in).get("vectors")) {
                if (v.get("id").asText().equals(id)) {
                    assertTrue(v.get("verified").asBoolean());
                    return v;
                }
            }
        }
        throw new IllegalArgumentException(id);
    }

    List<TriggerEvent> stored() {
        return test.host.triggerService().log().read(0, EventFilter.ALL, 1000);
    }

    double count(String outcome, String reason) {
        Counter counter = test.host.meters().find("trigger.callbacks").tag("outcome", outcome).tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void officialUrlVerificationVectorThroughGet() throws Exception {
        JsonNode v = vector("official_url_verification");
        String query = v.get("request_line").asText().replaceFirst("^GET /cgi-bin/wxpush", "").replaceFirst(" .*$", "");
        HttpResponse<String> response = WeComCallbackSender.get(base + "/callbacks/corp/app" + query);
        assertEquals(200, response.statusCode());
        assertEquals(v.get("expected_response_body").asText(), response.body(), "the echo alone: no quotes, BOM or newline");
        assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"));

        // WeCom's '+' sent unencoded arrives as a space after query decoding; it still verifies
        String rawPlus = query.replace("%2B", "+");
        assertEquals(v.get("expected_response_body").asText(), WeComCallbackSender.get(base + "/callbacks/corp/app" + rawPlus).body());
        assertTrue(stored().isEmpty(), "a URL verification stores nothing");
    }

    @Test
    void officialXmlMessageVectorThroughPostIsStoredThenAcknowledged() throws Exception {
        JsonNode v = vector("official_post_xml_message");
        HttpResponse<String> response = WeComCallbackSender.postRaw(base + "/callbacks/corp/app", v.get("timestamp").asText(),
                v.get("nonce").asText(), v.get("msg_signature").asText(), v.get("post_body").asText().getBytes(StandardCharsets.UTF_8));
        assertEquals(200, response.statusCode());
        assertEquals("success", response.body());
        List<TriggerEvent> events = stored();
        assertEquals(1, events.size());
        TriggerEvent event = events.get(0);
        assertEquals("msg_text", event.triggerId());
        assertEquals("corp", event.connection());
        assertEquals("hello", event.event().get("Content").asText());
        assertEquals(4561255354251345929L, event.event().get("MsgId").asLong(), "a 64-bit MsgId stays exact");
        assertTrue(event.event().get("MsgId").isIntegralNumber());
        assertEquals(218, event.event().get("AgentID").asInt());
        assertEquals(1409659813, event.event().get("CreateTime").asInt());
    }

    @Test
    void officialJsonMessageVectorThroughPost() throws Exception {
        JsonNode v = vector("official_post_json_message");
        HttpResponse<String> response = WeComCallbackSender.postRaw(base + "/callbacks/corp/app", v.get("timestamp").asText(),
                v.get("nonce").asText(), v.get("msg_signature").asText(), v.get("post_body").asText().getBytes(StandardCharsets.UTF_8));
        assertEquals(200, response.statusCode());
        List<TriggerEvent> events = stored();
        assertEquals(1, events.size());
        assertEquals("msg_text", events.get(0).triggerId());
        assertEquals("hello", events.get(0).event().get("Content").asText());
    }

    @Test
    void theSameEventPostedThreeTimesIsStoredOnce() throws Exception {
        JsonNode v = vector("official_post_xml_message");
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> response = WeComCallbackSender.postRaw(base + "/callbacks/corp/app", v.get("timestamp").asText(),
                    v.get("nonce").asText(), v.get("msg_signature").asText(), v.get("post_body").asText().getBytes(StandardCharsets.UTF_8));
            assertEquals(200, response.statusCode(), "a replay is acknowledged");
            assertEquals("success", response.body());
        }
        assertEquals(1, stored().size());
        assertEquals(2, count("duplicate", "none"));
    }

    @Test
    void resentSystemEventsAreStoredOnceAndBurstsInOneSecondAreNotMerged() throws Exception {
        WeComCallbackSender wecom = new WeComCallbackSender(TOKEN, KEY, CORP);
        String url = base + "/callbacks/corp/contact";
        for (int resend = 0; resend < 3; resend++) {
            // a batch delete: same FromUserName (sys) and CreateTime, different members; each resent with new crypto
            for (String user : List.of("zhangsan", "lisi")) {
                HttpResponse<String> response = wecom.post(url, deleteUser(user));
                assertEquals(200, response.statusCode());
            }
        }
        List<TriggerEvent> events = stored();
        assertEquals(2, events.size());
        assertEquals(List.of("zhangsan", "lisi"), events.stream().map(e -> e.event().get("UserID").asText()).toList());
        events.forEach(e -> assertEquals("change_contact_delete_user", e.triggerId()));
    }

    static String deleteUser(String user) {
        return "<xml><ToUserName><![CDATA[" + CORP + "]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>"
                + "<CreateTime>1403610513</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_contact]]></Event>"
                + "<ChangeType>delete_user</ChangeType><UserID><![CDATA[" + user + "]]></UserID></xml>";
    }

    @Test
    void eventsSurviveARestartAndResendsAfterItStartNothing() throws Exception {
        WeComCallbackSender wecom = new WeComCallbackSender(TOKEN, KEY, CORP);
        assertEquals(200, wecom.post(base + "/callbacks/corp/contact", deleteUser("wangwu")).statusCode());
        TriggerEvent before = stored().get(0);
        stop();
        startHost();
        assertEquals(List.of(before), stored());
        assertEquals(200, wecom.post(base + "/callbacks/corp/contact", deleteUser("wangwu")).statusCode());
        assertEquals(1, stored().size());
    }

    @Test
    void javaSubscribersReceiveNewEventsOfTheirTriggerAndConnection() throws Exception {
        LinkedBlockingQueue<TriggerEvent> received = new LinkedBlockingQueue<>();
        EventFilter onlyLisi = EventFilter.ALL.where(JSON.readTree("{\"field\": \"/UserID\", \"equals\": \"lisi\"}"));
        try (InProcessSubscription subscription = test.host.subscribe("change_contact_delete_user", "corp", onlyLisi, received::add)) {
            WeComCallbackSender wecom = new WeComCallbackSender(TOKEN, KEY, CORP);
            wecom.post(base + "/callbacks/corp/contact", deleteUser("zhangsan"));
            wecom.post(base + "/callbacks/corp/contact", deleteUser("lisi"));
            TriggerEvent event = received.poll(30, TimeUnit.SECONDS);
            assertEquals("lisi", event.event().get("UserID").asText());
            assertEquals(null, received.poll(300, TimeUnit.MILLISECONDS), "the filtered-out event is not delivered");
        }
    }

    @Test
    void triggersAreListedDescribedAndExportedAsWebhooks() throws Exception {
        JsonNode list = JSON.readTree(WeComCallbackSender.get(base + "/api/triggers").body());
        assertEquals(46, list.size());
        JsonNode one = JSON.readTree(WeComCallbackSender.get(base + "/api/triggers/change_contact_create_user").body());
        assertEquals("contact", one.get("callbackKind").asText());
        assertEquals("integer", one.at("/schema/properties/CreateTime/type").asText());
        assertEquals(404, WeComCallbackSender.get(base + "/api/triggers/nope").statusCode());
        JsonNode openApi = JSON.readTree(WeComCallbackSender.get(base + "/openapi.json").body());
        assertEquals(46, openApi.get("webhooks").size());
        JsonNode hook = openApi.at("/webhooks/sys_approval_change/post/requestBody/content/application~1json/schema");
        assertEquals("integer", hook.at("/properties/event/properties/ApprovalInfo/properties/SpStatus/type").asText());
        assertTrue(hook.at("/required").toString().contains("receivedAt"));
    }
}
