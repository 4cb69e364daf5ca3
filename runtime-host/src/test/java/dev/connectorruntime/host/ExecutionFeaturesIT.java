package dev.connectorruntime.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connectorruntime.host.format.ErrorJson;
import dev.connectorruntime.host.pipeline.CallMetrics;
import dev.connectorruntime.spi.CredentialCheck;
import dev.connectorruntime.spi.ErrorCode;
import dev.connectorruntime.spi.ExecutionResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Paging, client-side rate limits, the raw call, connection checks, tenants and counters. */
@ExtendWith(TestHostExtension.class)
class ExecutionFeaturesIT {
    private final TestHost test;

    ExecutionFeaturesIT(TestHost test) {
        this.test = test;
    }

    private void addSchedules(int count) {
        for (int i = 0; i < count; i++) {
            test.success("schedule_add", "{\"schedule\": {\"cal_id\": \"cal_demo\", \"summary\": \"会议" + i + "\","
                    + " \"start_time\": " + (1767225600 + i * 7200) + ", \"end_time\": " + (1767229200 + i * 7200) + "}}");
        }
    }

    @Test
    void followingPagesMergesEveryItemAndTheDefaultStaysOnePage() {
        addSchedules(5); // plus the seeded sch_demo: 6
        JsonNode input = TestHost.json("{\"cal_id\": \"cal_demo\", \"offset\": 0, \"limit\": 2}");
        JsonNode onePage = ((ExecutionResult.Success) test.host.execute("schedule_get_by_calendar", input)).output();
        assertEquals(2, onePage.get("schedule_list").size());

        ExecutionResult all = test.host.execute("schedule_get_by_calendar", input,
                ExecuteOptions.DEFAULTS.withPages(ExecuteOptions.Pages.all(1000, 100)));
        JsonNode merged = ((ExecutionResult.Success) all).output();
        assertEquals(6, merged.get("schedule_list").size());
        assertEquals(4, all.attempts(), "three full pages and an empty one");
        List<String> ids = new ArrayList<>();
        merged.get("schedule_list").forEach(s -> ids.add(s.get("schedule_id").asText()));
        assertEquals(6, ids.stream().distinct().count(), "no item twice");
    }

    @Test
    void pagingStopsAtTheCapAndSaysWhereToGoOn() {
        addSchedules(5);
        JsonNode capped = ((ExecutionResult.Success) test.host.execute("schedule_get_by_calendar",
                TestHost.json("{\"cal_id\": \"cal_demo\", \"offset\": 0, \"limit\": 2}"),
                ExecuteOptions.DEFAULTS.withPages(ExecuteOptions.Pages.all(3, 100)))).output();
        assertEquals(3, capped.get("schedule_list").size());
        assertEquals(4, capped.get("offset").asInt(), "the next page starts after the two pages fetched");
    }

    @Test
    void aBurstIsSmoothedByTheConnectionsRateLimitNotRejected() throws Exception {
        ObjectNode limited = test.connection();
        limited.put("name", "limited").put("rateLimitPerSecond", 5);
        test.host.addConnection(limited);
        ExecutorService pool = Executors.newFixedThreadPool(15);
        long start = System.nanoTime();
        List<Future<ExecutionResult>> calls = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            calls.add(pool.submit(() -> test.host.execute("user_get", TestHost.json("{\"userid\": \"zhangsan\"}"),
                    ExecuteOptions.DEFAULTS.withConnection("limited"))));
        }
        for (Future<ExecutionResult> call : calls) {
            assertInstanceOf(ExecutionResult.Success.class, call.get());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        assertTrue(seconds >= 2.0, "15 calls at 5/s cannot all start within 2 s; took " + seconds);
    }

    @Test
    void aConnectionMayOverrideThePerActionLimit() throws Exception {
        ObjectNode slow = test.connection();
        slow.put("name", "per-action").put("rateLimitPerSecond", 0).put("actionRateLimitPerMinute", 120);
        test.host.addConnection(slow);
        ExecuteOptions options = ExecuteOptions.DEFAULTS.withConnection("per-action");
        long start = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            assertInstanceOf(ExecutionResult.Success.class, test.host.execute("user_get", TestHost.json("{\"userid\": \"zhangsan\"}"), options));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds >= 1.5, "5 calls at 2/s cannot finish within 1.5 s; took " + seconds);
    }

    @Test
    void aCallThatWouldWaitPastItsBudgetIsRateLimitedWithNothingSent() throws Exception {
        try (TestHost strict = TestHost.start(ConnectorHost.builder().retryPolicy(
                new RetryPolicy(0, java.time.Duration.ofMillis(1), java.time.Duration.ofMillis(1), java.time.Duration.ofMillis(100))))) {
            ObjectNode limited = strict.connection();
            limited.put("name", "limited").put("rateLimitPerSecond", 1);
            strict.host.addConnection(limited);
            ExecuteOptions options = ExecuteOptions.DEFAULTS.withConnection("limited");
            assertInstanceOf(ExecutionResult.Success.class, strict.host.execute("user_get", TestHost.json("{\"userid\": \"zhangsan\"}"), options));
            ExecutionResult.Failure failure = assertInstanceOf(ExecutionResult.Failure.class,
                    strict.host.execute("user_get", TestHost.json("{\"userid\": \"zhangsan\"}"), options));
            assertEquals(ErrorCode.RATE_LIMITED, failure.error().code());
            assertTrue(failure.error().retryable());
            assertEquals(1, strict.requests("/cgi-bin/user/get"));
        }
    }

    @Test
    void theRawCallReachesAnyPathWithTheConnectionsToken() {
        JsonNode out = test.success("wecom_api_call", "{\"method\": \"GET\", \"path\": \"/cgi-bin/user/get\", \"query\": {\"userid\": \"lisi\"}}");
        assertEquals("李四", out.get("name").asText());
        JsonNode posted = test.success("wecom_api_call", "{\"method\": \"POST\", \"path\": \"/cgi-bin/tag/create\", \"body\": {\"tagname\": \"原始调用\"}}");
        assertTrue(posted.get("tagid").asInt() > 0);
        ExecutionResult.Failure unknown = assertInstanceOf(ExecutionResult.Failure.class,
                test.execute("wecom_api_call", "{\"method\": \"GET\", \"path\": \"/cgi-bin/not/there\"}"));
        assertEquals("48001", unknown.error().upstreamCode());
        assertInstanceOf(ExecutionResult.Failure.class,
                test.execute("wecom_api_call", "{\"method\": \"GET\", \"path\": \"/cgi-bin/user/get\", \"query\": {\"access_token\": \"x\"}}"),
                "the token is the connection's, never the caller's");
    }

    @Test
    void testConnectionReportsEachSecretKindWithoutRevealingIt() throws Exception {
        List<CredentialCheck> good = test.host.testConnection("sandbox");
        assertEquals(2, good.size(), "a new corp's sandbox connection: the app and contact-sync secrets");
        assertTrue(good.stream().allMatch(CredentialCheck::ok), good.toString());

        ObjectNode bad = test.connection();
        bad.put("name", "bad");
        ((ObjectNode) bad.get("secrets")).put("school", "wrong-school-secret-123");
        test.host.addConnection(bad);
        List<CredentialCheck> checks = test.host.testConnection("bad");
        CredentialCheck school = checks.stream().filter(c -> c.kind().equals("school")).findFirst().orElseThrow();
        assertFalse(school.ok());
        assertEquals("40001", school.error().upstreamCode());
        assertFalse(checks.toString().contains("wrong-school-secret-123"));
        assertFalse(ErrorJson.of(school.error()).toString().contains("wrong-school-secret-123"));
    }

    @Test
    void twoConnectionsWithDifferentSecretsNeverShareATokenOrCacheEntry() throws Exception {
        ObjectNode appOnly = test.connection();
        appOnly.put("name", "app-only");
        ((ObjectNode) appOnly.get("secrets")).retain("app");
        ObjectNode contactOnly = test.connection();
        contactOnly.put("name", "contact-only");
        ((ObjectNode) contactOnly.get("secrets")).retain("contact");
        test.host.addConnection(appOnly);
        test.host.addConnection(contactOnly);
        test.host.execute("tag_get", TestHost.json("{\"tagid\": 1}"), ExecuteOptions.DEFAULTS.withConnection("app-only"));
        test.host.execute("tag_get", TestHost.json("{\"tagid\": 1}"), ExecuteOptions.DEFAULTS.withConnection("contact-only"));
        JsonNode requests = test.recentRequests();
        String first = requests.get(requests.size() - 2).get("secretKind").asText();
        String second = requests.get(requests.size() - 1).get("secretKind").asText();
        assertEquals("app", first);
        assertEquals("contact", second);
        assertNotEquals(first, second);
    }

    @Test
    void countersTrackCallsOutcomesAndErrcodesPerAction() {
        test.success("user_get", "{\"userid\": \"zhangsan\"}");
        test.execute("tag_get", "{\"tagid\": 999}");
        var meters = test.host.meters();
        assertTrue(meters.get(CallMetrics.CALLS).tags("action", "user_get", "outcome", "OK").timer().count() >= 1);
        assertTrue(meters.get(CallMetrics.CALLS).tags("action", "tag_get", "outcome", "UPSTREAM_ERROR").timer().count() >= 1);
        assertTrue(meters.get(CallMetrics.ERRCODES).tags("action", "tag_get", "errcode", "40068").counter().count() >= 1);
    }
}
