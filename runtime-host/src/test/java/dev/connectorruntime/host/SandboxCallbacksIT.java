package dev.connectorruntime.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.connectorruntime.host.http.ApiServer;
import dev.connectorruntime.host.triggers.EventFilter;
import dev.connectorruntime.host.triggers.TriggerEvent;
import dev.connectorruntime.host.triggers.WebhookReceiver;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sandbox sends what WeCom would send for its writes: sealed, signed callbacks to the host's
 * callback URL of the kind, which the host verifies, decrypts and stores as trigger events; any
 * event of the catalog can be injected; unanswered callbacks are resent up to three times.
 */
class SandboxCallbacksIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);

    private TestHost test;
    private ApiServer server;
    private long start;

    @BeforeEach
    void start() throws Exception {
        test = TestHost.start(ConnectorHost.builder().retryPolicy(TestHost.FAST_RETRIES).dataDir(Files.createTempDirectory("sandbox-callbacks")));
        server = ApiServer.start(test.host, null, ApiServer.Settings.local());
        test.sandbox.sendCallbacksTo(URI.create("http://127.0.0.1:" + server.port() + "/callbacks/sandbox"));
        start = test.host.eventLog().lastSequence();
    }

    @AfterEach
    void stop() {
        server.close();
        test.close();
    }

    /** The next event of the trigger on the sandbox connection whose conditions hold, waiting for it. */
    private TriggerEvent awaitEvent(String trigger, String conditions) throws Exception {
        EventFilter filter = EventFilter.of(trigger, "sandbox").where(conditions == null ? null : JSON.readTree(conditions));
        List<TriggerEvent> events = test.host.delivery().poll(filter, start, WAIT, 1);
        assertEquals(1, events.size(), "no " + trigger + " event " + conditions + " within " + WAIT + "; sandbox sent: "
                + test.admin.call("GET", "/sandbox/callbacks", null));
        return events.get(0);
    }

    @Test
    void membersDepartmentsAndTagsChangedThroughTheApiArriveAsTheirTriggers() throws Exception {
        JsonNode department = test.success("department_create", "{\"name\": \"产品部\", \"parentid\": 1, \"order\": 7}");
        long departmentId = department.get("id").asLong();
        test.success("user_create", "{\"userid\": \"zhaoliu\", \"name\": \"赵六\", \"mobile\": \"13800000011\", \"department\": ["
                + departmentId + "], \"position\": \"产品经理\"}");
        test.success("user_update", "{\"userid\": \"zhaoliu\", \"position\": \"产品总监\"}");
        test.success("tag_addtagusers", "{\"tagid\": 1, \"userlist\": [\"zhaoliu\", \"wangwu\"]}");
        test.success("user_delete", "{\"userid\": \"zhaoliu\"}");

        JsonNode party = awaitEvent("change_contact_create_party", "{\"field\": \"/Id\", \"equals\": " + departmentId + "}").event();
        assertEquals("产品部", party.get("Name").asText());
        assertEquals(7, party.get("Order").asInt());
        JsonNode created = awaitEvent("change_contact_create_user", "{\"field\": \"/UserID\", \"equals\": \"zhaoliu\"}").event();
        assertEquals("赵六", created.get("Name").asText());
        assertEquals("产品经理", created.get("Position").asText());
        assertEquals(List.of(departmentId), JSON.convertValue(created.get("Department"), new com.fasterxml.jackson.core.type.TypeReference<List<Long>>() {}));
        assertEquals("ww_sandbox_corp", created.get("ToUserName").asText());
        JsonNode updated = awaitEvent("change_contact_update_user", "{\"field\": \"/UserID\", \"equals\": \"zhaoliu\"}").event();
        assertEquals("产品总监", updated.get("Position").asText());
        JsonNode tag = awaitEvent("change_contact_update_tag", null).event();
        assertEquals(1, tag.get("TagId").asInt());
        assertEquals(List.of("zhaoliu", "wangwu"), JSON.convertValue(tag.get("AddUserItems"), List.class), tag.toString());
        awaitEvent("change_contact_delete_user", "{\"field\": \"/UserID\", \"equals\": \"zhaoliu\"}");
    }

    @Test
    void aFailedWriteSendsNothing() throws Exception {
        assertTrue(test.execute("user_create", "{\"userid\": \"zhangsan\", \"name\": \"x\", \"mobile\": \"13800000099\", \"department\": [1]}")
                instanceof dev.connectorruntime.spi.ExecutionResult.Failure, "zhangsan exists");
        test.success("user_create", "{\"userid\": \"marker\", \"name\": \"m\", \"mobile\": \"13800000098\", \"department\": [1]}");
        awaitEvent("change_contact_create_user", "{\"field\": \"/UserID\", \"equals\": \"marker\"}");
        List<TriggerEvent> all = test.host.eventLog().read(start, EventFilter.ALL, 100);
        assertEquals(List.of("marker"), all.stream().map(e -> e.event().path("UserID").asText()).toList());
    }

    @Test
    void anyEventOfTheCatalogCanBeInjected() throws Exception {
        test.admin.call("POST", "/sandbox/events", "{\"trigger\": \"change_external_contact_add_external_contact\","
                + " \"fields\": {\"UserID\": \"lisi\", \"ExternalUserID\": \"wm_injected\", \"WelcomeCode\": \"WC1\"}}");
        JsonNode customer = awaitEvent("change_external_contact_add_external_contact", null).event();
        assertEquals("lisi", customer.get("UserID").asText());
        assertEquals("wm_injected", customer.get("ExternalUserID").asText());
        assertEquals("WC1", customer.get("WelcomeCode").asText());

        test.admin.call("POST", "/sandbox/events", "{\"trigger\": \"sys_approval_change\"}");
        awaitEvent("sys_approval_change", null);
        test.admin.call("POST", "/sandbox/events", "{\"trigger\": \"event_template_card_event\", \"fields\": {\"EventKey\": \"approve\"}}");
        assertEquals("approve", awaitEvent("event_template_card_event", null).event().get("EventKey").asText());
        test.admin.call("POST", "/sandbox/events", "{\"kind\": \"app\", \"xml\": \"<xml><ToUserName><![CDATA[ww_sandbox_corp]]></ToUserName>"
                + "<FromUserName><![CDATA[zhangsan]]></FromUserName><CreateTime>1700000001</CreateTime><MsgType><![CDATA[text]]></MsgType>"
                + "<Content><![CDATA[你好]]></Content><MsgId>7001</MsgId><AgentID>1000002</AgentID></xml>\"}");
        assertEquals("你好", awaitEvent("msg_text", null).event().get("Content").asText());
    }

    @Test
    void aCallbackNotAnsweredInTimeIsResentUpToThreeTimes() throws Exception {
        AtomicInteger posts = new AtomicInteger();
        HttpServer silent = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
        silent.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        silent.createContext("/", exchange -> {
            posts.incrementAndGet();
            try {
                Thread.sleep(2000); // longer than the sandbox waits
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        silent.start();
        try {
            test.admin.call("POST", "/sandbox/callbacks", "{\"url\": \"http://127.0.0.1:" + silent.getAddress().getPort()
                    + "/callbacks/sandbox\", \"answerTimeoutMs\": 300, \"resendAfterMs\": 50}");
            test.success("department_create", "{\"name\": \"无人应答\", \"parentid\": 1}");
            WebhookReceiver.waitFor(() -> test.admin.call("GET", "/sandbox/callbacks", null).path("sent").size() == 1, WAIT);
            JsonNode sent = test.admin.call("GET", "/sandbox/callbacks", null).path("sent").get(0);
            assertEquals(4, sent.get("attempts").asInt(), sent.toString());
            assertEquals(4, posts.get());
            assertTrue(sent.get("status").asText().startsWith("not answered"), sent.toString());
            assertEquals("create_party", sent.get("changeType").asText());
        } finally {
            silent.stop(0);
        }
    }
}
