package dev.connectorruntime.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connectorruntime.spi.ExecutionResult;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Following pages: each page has the retry and rate-limit budget of one call; the follow as a whole
 * has its own, larger bound, and stops there with the cursor to go on from.
 */
class PagingBudgetIT {
    /** 1.5 s per call; an action limit of 2 calls a second makes each page after the first wait about 0.5 s. */
    private static final Duration PER_CALL = Duration.ofMillis(1500);

    private static ExecutionResult followAll(TestHost test) throws Exception {
        test.admin.call("POST", "/sandbox/generate", "{\"groupchats\": 70}");
        ObjectNode throttled = test.connection();
        throttled.put("name", "throttled").put("rateLimitPerSecond", 0).put("actionRateLimitPerMinute", 120);
        test.host.addConnection(throttled);
        return test.host.execute("externalcontact_groupchat_list", TestHost.json("{\"limit\": 10}"),
                ExecuteOptions.DEFAULTS.withConnection("throttled").withPages(ExecuteOptions.Pages.all(10_000, 100)));
    }

    @Test
    void everyPageOfALongThrottledFollowGetsItsOwnBudget() throws Exception {
        RetryPolicy policy = new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50), PER_CALL);
        try (TestHost test = TestHost.start(ConnectorHost.builder().retryPolicy(policy))) {
            ExecutionResult result = followAll(test);
            ExecutionResult.Success success = assertInstanceOf(ExecutionResult.Success.class, result, () -> String.valueOf(result));
            JsonNode output = success.output();
            assertTrue(output.get("group_chat_list").size() >= 70, "every generated chat: " + output.get("group_chat_list").size());
            assertTrue(output.path("next_cursor").asText("").isEmpty(), "the follow reached the end");
        }
    }

    @Test
    void theFollowAsAWholeStopsAtItsBoundWithTheCursorToGoOnFrom() throws Exception {
        RetryPolicy policy = new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50), PER_CALL, Duration.ofMillis(1200));
        try (TestHost test = TestHost.start(ConnectorHost.builder().retryPolicy(policy))) {
            ExecutionResult result = followAll(test);
            ExecutionResult.Success success = assertInstanceOf(ExecutionResult.Success.class, result, () -> String.valueOf(result));
            JsonNode output = success.output();
            int items = output.get("group_chat_list").size();
            assertTrue(items >= 10 && items < 70, "stopped part-way: " + items);
            assertFalse(output.path("next_cursor").asText("").isEmpty(), "the cursor to go on from");
            assertEquals(items / 10, result.attempts(), "one request per page fetched");
        }
    }
}
