package dev.connectorruntime.wecom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.connectorruntime.spi.ActionDescriptor;
import dev.connectorruntime.spi.ActionError;
import dev.connectorruntime.spi.ErrorCode;
import dev.connectorruntime.spi.HttpBinding;
import dev.connectorruntime.spi.HttpMethod;
import dev.connectorruntime.spi.UpstreamResponse;
import dev.connectorruntime.spi.Verdict;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How WeCom answers become verdicts: success, refresh, not applied, failed with a hint. */
class ResponseClassifierTest {
    private final ResponseClassifier classifier = new ResponseClassifier(
            Errcodes.load(getClass().getClassLoader(), "schemas/wecom/errcodes.json"));

    private static ActionDescriptor action(boolean safeToRepeat) {
        var json = JsonNodeFactory.instance;
        return new ActionDescriptor("user_get", "读取成员", "Get", "d", "contact", "https://x", "app", safeToRepeat, null,
                new HttpBinding(HttpMethod.GET, "/cgi-bin/user/get", null, null, null, null, null, null), null, null, null, null,
                null, null, null, json.objectNode(), json.objectNode(), null, json.objectNode());
    }

    private Verdict classify(boolean safeToRepeat, int status, String body) {
        return classifier.classify(action(safeToRepeat), new UpstreamResponse(status, "application/json", body.getBytes(StandardCharsets.UTF_8)));
    }

    /** Each WeCom answer × safe to repeat -> the verdict, the caller's error code, and whether the same call may succeed later. */
    @ParameterizedTest(name = "HTTP {0} {1}, safe to repeat {2} -> {3} {4} retryable={5}")
    @CsvSource({
            // status, errcode (or a body), safe, verdict,           error code,           retryable
            "200, 0,         true,  Success,            -,                    -",
            "200, 0,         false, Success,            -,                    -",
            "200, 40014,     true,  CredentialRejected, UPSTREAM_ERROR,       false",
            "200, 42001,     false, CredentialRejected, UPSTREAM_ERROR,       false",
            "200, 40001,     false, CredentialRejected, UPSTREAM_ERROR,       false",
            "200, -1,        false, NotApplied,         UPSTREAM_ERROR,       true",
            "200, 45009,     false, NotApplied,         UPSTREAM_ERROR,       true",
            "200, 45033,     true,  NotApplied,         UPSTREAM_ERROR,       true",
            "200, 60111,     true,  Failed,             UPSTREAM_ERROR,       false",
            "200, 60111,     false, Failed,             UPSTREAM_ERROR,       false",
            "200, 48002,     false, Failed,             UPSTREAM_ERROR,       false",
            "500, (none),    true,  Failed,             UPSTREAM_UNAVAILABLE, true",
            "500, (none),    false, Failed,             OUTCOME_UNKNOWN,      false",
            "200, (garbage), true,  Failed,             UPSTREAM_UNAVAILABLE, true",
            "200, (garbage), false, Failed,             OUTCOME_UNKNOWN,      false",
    })
    void everyAnswerHasItsVerdict(int status, String errcode, boolean safe, String verdict, String code, String retryable) {
        String body = switch (errcode) {
            case "(none)" -> "";
            case "(garbage)" -> "<html>bad gateway</html>";
            default -> "{\"errcode\":" + errcode + ",\"errmsg\":\"x\"}";
        };
        Verdict result = classify(safe, status, body);
        assertEquals(verdict, result.getClass().getSimpleName());
        if (!code.equals("-")) {
            ActionError error = result instanceof Verdict.CredentialRejected r ? r.error()
                    : result instanceof Verdict.NotApplied n ? n.error() : ((Verdict.Failed) result).error();
            assertEquals(code, error.code().name());
            assertEquals(Boolean.parseBoolean(retryable), error.retryable());
            if (!errcode.startsWith("(")) {
                assertEquals(errcode, error.upstreamCode(), "WeCom's errcode is the upstream code");
                assertEquals(Integer.parseInt(errcode), error.upstream().details().get("errcode").intValue(), "and stays errcode for its callers");
            }
        }
    }

    @Test
    void errcodeZeroIsSuccess() {
        assertInstanceOf(Verdict.Success.class, classify(true, 200, "{\"errcode\":0,\"errmsg\":\"ok\",\"userid\":\"a\"}"));
    }

    @Test
    void expiredOrInvalidTokensAskForARefresh() {
        for (int code : new int[] {40001, 40014, 42001}) {
            assertInstanceOf(Verdict.CredentialRejected.class, classify(false, 200, "{\"errcode\":" + code + ",\"errmsg\":\"x\"}"));
        }
    }

    @Test
    void busyAndRateLimitsWereNotApplied() {
        for (int code : new int[] {-1, 45009, 45033}) {
            Verdict.NotApplied verdict = assertInstanceOf(Verdict.NotApplied.class, classify(false, 200, "{\"errcode\":" + code + ",\"errmsg\":\"x\"}"));
            assertTrue(verdict.error().retryable());
        }
    }

    @Test
    void untrustedIpHintNamesTheIpAndWhereToAddIt() {
        Verdict.Failed failed = assertInstanceOf(Verdict.Failed.class, classify(true, 200,
                "{\"errcode\":60020,\"errmsg\":\"not allow to access from your ip, hint: [1700000000_1_abc], from ip: 203.0.113.7, more info at https://open.work.weixin.qq.com/devtool/query?e=60020\"}"));
        assertEquals("60020", failed.error().upstreamCode());
        assertEquals(60020, failed.error().upstream().details().get("errcode").intValue());
        assertTrue(failed.error().hint().contains("203.0.113.7") && failed.error().hint().contains("企业可信IP"), failed.error().hint());
    }

    @Test
    void aWriteAnsweredWith5xxOrGarbageHasAnUnknownOutcome() {
        assertEquals(ErrorCode.OUTCOME_UNKNOWN, ((Verdict.Failed) classify(false, 502, "bad gateway")).error().code());
        assertEquals(ErrorCode.OUTCOME_UNKNOWN, ((Verdict.Failed) classify(false, 200, "{\"errcode\":0,\"err")).error().code());
        Verdict.Failed read = (Verdict.Failed) classify(true, 503, "");
        assertEquals(ErrorCode.UPSTREAM_UNAVAILABLE, read.error().code());
        assertTrue(read.error().retryable());
    }
}
