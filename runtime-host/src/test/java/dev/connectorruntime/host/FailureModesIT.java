package dev.connectorruntime.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connectorruntime.spi.ErrorCode;
import dev.connectorruntime.spi.ExecutionResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A WeCom that is busy, rate limited, failing or cut off mid-call: reads recover; writes are applied
 * exactly once or reported as OUTCOME_UNKNOWN, never applied twice (the sandbox counts what it applied).
 */
@ExtendWith(TestHostExtension.class)
class FailureModesIT {
    private static final String READ = "user_get";
    private static final String READ_INPUT = "{\"userid\": \"zhangsan\"}";
    private static final String READ_PATH = "/cgi-bin/user/get";
    private static final String WRITE = "tag_create";
    private static final String WRITE_INPUT = "{\"tagname\": \"故障测试\"}";
    private static final String WRITE_PATH = "/cgi-bin/tag/create";
    private final TestHost test;

    FailureModesIT(TestHost test) {
        this.test = test;
    }

    @BeforeEach
    void reset() {
        test.reset();
        test.success(READ, READ_INPUT); // a token in the cache, so counts below are the calls themselves
        test.reset();
    }

    private ExecutionResult.Failure failure(ExecutionResult result) {
        return assertInstanceOf(ExecutionResult.Failure.class, result);
    }

    @Test
    void aReadRecoversFromSystemBusy() {
        test.fault("{\"path\": \"" + READ_PATH + "\", \"kind\": \"errcode\", \"errcode\": -1, \"times\": 2}");
        ExecutionResult result = test.execute(READ, READ_INPUT);
        assertInstanceOf(ExecutionResult.Success.class, result);
        assertEquals(3, result.attempts());
    }

    @Test
    void aWriteRefusedByARateLimitIsResentAndAppliedOnce() {
        for (int errcode : new int[] {45009, 45033, -1}) {
            test.reset();
            test.fault("{\"path\": \"" + WRITE_PATH + "\", \"kind\": \"errcode\", \"errcode\": " + errcode + ", \"times\": 1}");
            ExecutionResult result = test.execute(WRITE, WRITE_INPUT);
            assertInstanceOf(ExecutionResult.Success.class, result, "after errcode " + errcode);
            assertEquals(2, result.attempts());
            assertEquals(1, test.applied(WRITE_PATH), "applied exactly once after " + errcode);
        }
    }

    @Test
    void aReadRecoversFromHttp5xx() {
        for (int status : new int[] {500, 502, 503}) {
            test.fault("{\"path\": \"" + READ_PATH + "\", \"kind\": \"http_status\", \"status\": " + status + ", \"times\": 1}");
            assertInstanceOf(ExecutionResult.Success.class, test.execute(READ, READ_INPUT), "after HTTP " + status);
        }
    }

    @Test
    void aWriteAnsweredWith5xxIsReportedAndNotResent() {
        test.fault("{\"path\": \"" + WRITE_PATH + "\", \"kind\": \"http_status\", \"status\": 502, \"times\": 1}");
        ExecutionResult.Failure failure = failure(test.execute(WRITE, WRITE_INPUT));
        assertEquals(ErrorCode.OUTCOME_UNKNOWN, failure.error().code());
        assertEquals(1, test.requests(WRITE_PATH), "sent once, never resent");
    }

    @Test
    void aWriteWhoseConnectionDropsAfterItWasAppliedIsOutcomeUnknownNotAppliedTwice() {
        test.fault("{\"path\": \"" + WRITE_PATH + "\", \"kind\": \"drop_after\", \"times\": 1}");
        ExecutionResult.Failure failure = failure(test.execute(WRITE, WRITE_INPUT));
        assertEquals(ErrorCode.OUTCOME_UNKNOWN, failure.error().code());
        assertEquals(1, test.applied(WRITE_PATH));
        assertEquals(1, test.requests(WRITE_PATH));
    }

    @Test
    void aWriteWhoseConnectionDropsBeforeItWasReadIsOutcomeUnknownAndNotApplied() {
        test.fault("{\"path\": \"" + WRITE_PATH + "\", \"kind\": \"drop_before\", \"times\": 1}");
        ExecutionResult.Failure failure = failure(test.execute(WRITE, WRITE_INPUT));
        assertEquals(ErrorCode.OUTCOME_UNKNOWN, failure.error().code(), "the client cannot tell it was not applied");
        assertEquals(0, test.applied(WRITE_PATH));
        assertEquals(1, test.requests(WRITE_PATH));
    }

    @Test
    void aReadRecoversFromDroppedConnectionsAndTruncatedBodies() {
        test.fault("[{\"path\": \"" + READ_PATH + "\", \"kind\": \"drop_before\", \"times\": 1},"
                + "{\"path\": \"" + READ_PATH + "\", \"kind\": \"drop_after\", \"times\": 1},"
                + "{\"path\": \"" + READ_PATH + "\", \"kind\": \"truncate\", \"times\": 1}]");
        ExecutionResult result = test.execute(READ, READ_INPUT);
        assertInstanceOf(ExecutionResult.Success.class, result);
        assertEquals(4, result.attempts());
    }

    @Test
    void aWriteAnsweredWithATruncatedBodyIsOutcomeUnknownAndAppliedOnce() {
        test.fault("{\"path\": \"" + WRITE_PATH + "\", \"kind\": \"truncate\", \"times\": 1}");
        assertEquals(ErrorCode.OUTCOME_UNKNOWN, failure(test.execute(WRITE, WRITE_INPUT)).error().code());
        assertEquals(1, test.applied(WRITE_PATH));
    }

    @Test
    void aSlowAnswerTimesOutAReadThatThenRecoversAndAWriteThatIsReportedOnce() throws Exception {
        ObjectNode slow = test.connection();
        slow.put("name", "slow").put("responseTimeoutMs", 300);
        test.host.addConnection(slow);
        test.fault("{\"path\": \"" + READ_PATH + "\", \"kind\": \"latency\", \"latencyMs\": 1000, \"times\": 1}");
        ExecutionResult read = test.host.execute(READ, TestHost.json(READ_INPUT), ExecuteOptions.DEFAULTS.withConnection("slow"));
        assertInstanceOf(ExecutionResult.Success.class, read);
        assertEquals(2, read.attempts());

        test.fault("{\"path\": \"" + WRITE_PATH + "\", \"kind\": \"latency\", \"latencyMs\": 1000, \"times\": 1}");
        ExecutionResult.Failure write = failure(test.host.execute(WRITE, TestHost.json(WRITE_INPUT), ExecuteOptions.DEFAULTS.withConnection("slow")));
        assertEquals(ErrorCode.OUTCOME_UNKNOWN, write.error().code());
        assertTrue(write.error().message().contains("no response"), write.error().message());
        Thread.sleep(1200); // the sandbox finishes the slow request it received
        assertEquals(1, test.applied(WRITE_PATH), "applied once, never resent");
    }

    @Test
    void aRefusedConnectionIsRetryableAndNeverAnUnknownOutcome() throws Exception {
        ObjectNode closed = test.connection();
        closed.put("name", "closed").put("baseUrl", "http://127.0.0.1:1");
        test.host.addConnection(closed);
        ExecutionResult.Failure failure = failure(test.host.execute(WRITE, TestHost.json(WRITE_INPUT), ExecuteOptions.DEFAULTS.withConnection("closed")));
        assertEquals(ErrorCode.UPSTREAM_UNAVAILABLE, failure.error().code());
        assertTrue(failure.error().retryable());
    }

    @Test
    void aRevokedTokenMidRunIsRefreshedAndTheWriteAppliedOnce() {
        test.fault("{\"path\": \"" + WRITE_PATH + "\", \"kind\": \"revoke_token\", \"times\": 1}");
        ExecutionResult result = test.execute(WRITE, WRITE_INPUT);
        assertInstanceOf(ExecutionResult.Success.class, result);
        assertEquals(1, test.applied(WRITE_PATH));
        assertEquals(1, test.gettokenCalls());
    }

    @Test
    void upstreamErrorsKeepErrcodeErrmsgAndAHint() {
        ExecutionResult.Failure failure = failure(test.execute(READ, "{\"userid\": \"nobody\"}"));
        assertEquals(ErrorCode.UPSTREAM_ERROR, failure.error().code());
        assertEquals("60111", failure.error().upstreamCode());
        assertEquals("userid not found", failure.error().upstream().message());
        assertTrue(failure.error().hint().contains("UserID"), failure.error().hint());
        assertEquals(1, failure.attempts(), "a definite error is not retried");
    }
}
