package dev.connectorruntime.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What goes on the wire: exactly the caller's fields, where the descriptor binds them. */
class WireIT {
    private static TestHost test;

    @BeforeAll
    static void start() {
        test = TestHost.start();
    }

    @AfterAll
    static void stop() {
        test.close();
    }

    @BeforeEach
    void reset() {
        test.reset();
    }

    private static JsonNode lastRequest() {
        JsonNode all = test.recentRequests();
        return all.get(all.size() - 1);
    }

    @Test
    void aGetSendsTheInputInTheQueryStringAndNothingElse() {
        test.success("user_get", "{\"userid\": \"zhangsan\"}");
        JsonNode request = lastRequest();
        assertEquals("/cgi-bin/user/get", request.get("path").asText());
        assertEquals(TestHost.json("{\"userid\": \"zhangsan\"}"), request.get("query"));
        assertEquals(0, request.get("body").size());
    }

    @Test
    void aPostSendsExactlyTheGivenFieldsWithNoInjectedDefaults() {
        String input = "{\"userid\": \"zhaoliu\", \"name\": \"赵六\", \"mobile\": \"13800000055\", \"department\": [2]}";
        test.success("user_create", input);
        JsonNode request = lastRequest();
        assertEquals(TestHost.json(input), request.get("body"));
        assertEquals(0, request.get("query").size(), "only access_token, which the sandbox does not record");
    }

    @Test
    void agentidComesFromTheConnectionWhenTheCallerLeavesItOut() {
        test.success("message_send", "{\"touser\": \"zhangsan\", \"msgtype\": \"text\", \"text\": {\"content\": \"你好\"}}");
        JsonNode body = lastRequest().get("body");
        assertEquals(1000002, body.get("agentid").asInt());
        assertFalse(body.has("safe"), "no default the caller did not give");
    }

    @Test
    void anAgentidTheCallerGivesWins() {
        test.success("message_send", "{\"touser\": \"zhangsan\", \"agentid\": 1000005, \"msgtype\": \"text\", \"text\": {\"content\": \"你好\"}}");
        assertEquals(1000005, lastRequest().get("body").get("agentid").asInt());
    }
}
