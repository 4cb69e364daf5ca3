package dev.connectorruntime.host;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connectorruntime.host.format.ErrorJson;
import dev.connectorruntime.spi.ErrorCode;
import dev.connectorruntime.spi.ExecutionResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Access tokens: fetched once per corp + secret, refreshed once when rejected, errors name the secret kind. */
class TokenCacheIT {
    private TestHost test;

    @BeforeEach
    void start() {
        test = TestHost.start();
    }

    @AfterEach
    void stop() {
        test.close();
    }

    @Test
    void fiftyConcurrentFirstCallsCauseExactlyOneGettoken() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(50);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<ExecutionResult>> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            calls.add(pool.submit(() -> {
                go.await();
                return test.execute("user_get", "{\"userid\": \"zhangsan\"}");
            }));
        }
        go.countDown();
        for (Future<ExecutionResult> call : calls) {
            assertInstanceOf(ExecutionResult.Success.class, call.get());
        }
        pool.shutdown();
        assertEquals(1, test.gettokenCalls(), "gettoken calls");
        assertEquals(50, test.requests("/cgi-bin/user/get"));
    }

    @Test
    void aTokenIsRefreshedAheadOfItsExpirySoNoCallMeetsAnExpiredOne() throws Exception {
        test.admin.call("POST", "/sandbox/config", "{\"tokenTtlSeconds\": 2}");
        test.success("user_get", "{\"userid\": \"zhangsan\"}");
        assertEquals(1, test.gettokenCalls());
        Thread.sleep(1200); // past half of a 2 s lifetime, before its end
        ExecutionResult result = test.execute("user_get", "{\"userid\": \"zhangsan\"}");
        assertEquals(1, result.attempts(), "no attempt was rejected as expired");
        assertEquals(2, test.gettokenCalls(), "refreshed ahead of expiry");
    }

    @Test
    void anExpiredTokenIsRefreshedOnceAndTheCallSucceeds() {
        test.success("user_get", "{\"userid\": \"zhangsan\"}");
        test.expireTokens();
        ExecutionResult result = test.execute("user_get", "{\"userid\": \"lisi\"}");
        assertInstanceOf(ExecutionResult.Success.class, result);
        assertEquals(2, result.attempts(), "one rejected attempt, one with the new token");
        assertEquals(2, test.gettokenCalls());
    }

    @Test
    void aRevokedTokenIsRefreshedOnceEvenForAWrite() {
        test.success("user_get", "{\"userid\": \"zhangsan\"}");
        test.revokeTokens();
        test.success("tag_create", "{\"tagname\": \"新标签\"}");
        assertEquals(2, test.gettokenCalls());
        assertEquals(1, test.applied("/cgi-bin/tag/create"), "applied exactly once");
    }

    @Test
    void aTokenRejectedTwiceInARowIsReportedNotRetriedForever() {
        test.fault("{\"path\": \"/cgi-bin/user/get\", \"kind\": \"revoke_token\"}");
        ExecutionResult.Failure failure = assertInstanceOf(ExecutionResult.Failure.class,
                test.execute("user_get", "{\"userid\": \"zhangsan\"}"));
        assertEquals("40014", failure.error().upstreamCode());
        assertEquals(2, failure.attempts());
    }

    @Test
    void aWrongSecretGivesAClearErrorNamingTheKindButNotTheValue() throws Exception {
        ObjectNode connection = test.connection();
        connection.put("name", "wrong");
        ((ObjectNode) connection.get("secrets")).put("contact", "not-the-right-secret-42");
        test.host.addConnection(connection);
        ExecutionResult.Failure failure = assertInstanceOf(ExecutionResult.Failure.class, test.host.execute("user_create",
                TestHost.json("{\"userid\": \"zhaoliu\", \"name\": \"赵六\", \"mobile\": \"13800000099\"}"),
                ExecuteOptions.DEFAULTS.withConnection("wrong")));
        assertEquals(ErrorCode.AUTH_FAILED, failure.error().code());
        assertEquals("40001", failure.error().upstreamCode());
        String shown = ErrorJson.of(failure.error()).toString();
        assertTrue(shown.contains("secrets.contact"), shown);
        assertFalse(shown.contains("not-the-right-secret-42"), shown);
        assertEquals(0, test.requests("/cgi-bin/user/create"), "nothing sent with a token we do not have");
    }

    @Test
    void aMissingSecretKindIsExplainedPerActionAndNothingIsSent() throws Exception {
        ObjectNode connection = test.connection();
        connection.put("name", "contact-only");
        ObjectNode secrets = (ObjectNode) connection.get("secrets");
        secrets.removeAll();
        secrets.put("contact", "sandbox-contact-secret");
        test.host.addConnection(connection);
        ExecutionResult.Failure failure = assertInstanceOf(ExecutionResult.Failure.class, test.host.execute("message_send",
                TestHost.json("{\"touser\": \"zhangsan\", \"msgtype\": \"text\", \"text\": {\"content\": \"hi\"}}"),
                ExecuteOptions.DEFAULTS.withConnection("contact-only")));
        assertEquals(ErrorCode.MISSING_CREDENTIAL, failure.error().code());
        assertTrue(failure.error().message().contains("message_send") && failure.error().message().contains("secrets.app"),
                failure.error().message());
        assertEquals(0, test.requests("/cgi-bin/message/send"));
    }

    @Test
    void twoCorpsNeverShareATokenCacheEntry() throws Exception {
        try (var other = test.host.startSandbox("wecom")) {
            ObjectNode second = other.connection();
            second.put("name", "second");
            test.host.addConnection(second);
            test.success("user_get", "{\"userid\": \"zhangsan\"}");
            ExecutionResult result = test.host.execute("user_get", TestHost.json("{\"userid\": \"zhangsan\"}"),
                    ExecuteOptions.DEFAULTS.withConnection("second"));
            assertInstanceOf(ExecutionResult.Success.class, result);
            assertEquals(1, test.gettokenCalls(), "first sandbox issued one token");
            assertEquals(1, new SandboxAdmin(other).gettokenCalls(), "second sandbox issued its own token");
        }
    }
}
