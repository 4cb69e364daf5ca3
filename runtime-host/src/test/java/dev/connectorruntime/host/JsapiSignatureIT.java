package dev.connectorruntime.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The JS-SDK actions: tickets fetched once and cached per corp (and per app), signatures by the doc's algorithm. */
class JsapiSignatureIT {
    private TestHost test;

    @BeforeEach
    void start() {
        test = TestHost.start();
    }

    @AfterEach
    void stop() {
        test.close();
    }

    private static String sha1(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aPageUrlGetsAVerifiableSignatureAndTheTicketIsFetchedOnce() throws Exception {
        JsonNode first = test.success("get_corp_jsapi_ticket", "{\"url\": \"https://app.example.com/h5/index.html?from=menu\"}");
        JsonNode second = test.success("get_corp_jsapi_ticket", "{\"url\": \"https://app.example.com/other\"}");
        assertEquals(first.get("ticket").asText(), second.get("ticket").asText());
        assertEquals(1, test.requests("/cgi-bin/get_jsapi_ticket"), "the ticket is cached, not fetched per page");
        String expected = sha1("jsapi_ticket=" + first.get("ticket").asText() + "&noncestr=" + first.get("noncestr").asText()
                + "&timestamp=" + first.get("timestamp").asLong() + "&url=https://app.example.com/h5/index.html?from=menu");
        assertEquals(expected, first.get("signature").asText());
        assertNotEquals(first.get("noncestr").asText(), second.get("noncestr").asText());
        assertFalse(test.recentRequests().toString().contains("app.example.com"), "the page url is never sent to WeCom");
    }

    @Test
    void theAgentTicketIsSeparateFromTheCorpTicket() {
        JsonNode corp = test.success("get_corp_jsapi_ticket", "{}");
        JsonNode agent = test.success("get_agent_jsapi_ticket", "{\"url\": \"https://app.example.com/a\"}");
        assertNotEquals(corp.get("ticket").asText(), agent.get("ticket").asText());
        assertEquals(1, test.requests("/cgi-bin/ticket/get"));
        assertFalse(corp.has("signature"), "no url, no signature");
        assertEquals(40, agent.get("signature").asText().length());
    }
}
