package dev.connectorruntime.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.connectorruntime.host.http.ApiServer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a web page in the operator's browser can make the browser send to a server without a key on
 * loopback: simple cross-origin posts, DNS-rebound hosts, preflights. Over raw HTTP, headers as a browser sends them.
 */
class BrowserAttackIT {
    private static final String ALLOWED_ORIGIN = "https://flows.example.com";
    private static final String CREATE_TAG = "{\"tagname\": \"浏览器攻击\"}";
    private static TestHost test;
    private static ApiServer server;
    private static int port;

    @BeforeAll
    static void start() {
        test = TestHost.start();
        server = ApiServer.start(test.host, null, ApiServer.Settings.local()
                .withAllowedHosts(List.of("runtime.internal")).withAllowedOrigins(List.of(ALLOWED_ORIGIN)));
        port = server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
        test.close();
    }

    private static RawHttp.Response post(String path, String host, String contentType, String origin, String body) throws Exception {
        String head = "POST " + path + " HTTP/1.1\r\nHost: " + host
                + (contentType == null ? "" : "\r\nContent-Type: " + contentType)
                + (origin == null ? "" : "\r\nOrigin: " + origin);
        return RawHttp.send(port, head, body);
    }

    private static String local() {
        return "127.0.0.1:" + port;
    }

    @Test
    void aSimpleTextPlainPostFromAPageIs415AndNothingIsSent() throws Exception {
        long before = test.applied("/cgi-bin/tag/create");
        RawHttp.Response response = post("/api/actions/tag_create/execute", local(), "text/plain;charset=UTF-8", "https://evil.example", CREATE_TAG);
        assertNotEquals(200, response.status(), response.body());
        RawHttp.Response sameOrigin = post("/api/actions/tag_create/execute", local(), "text/plain", null, CREATE_TAG);
        assertEquals(415, sameOrigin.status(), sameOrigin.body());
        assertTrue(sameOrigin.header("Content-Type").startsWith("application/problem+json"));
        assertEquals(415, post("/api/actions/tag_create/execute", local(), "application/x-www-form-urlencoded", null, CREATE_TAG).status());
        assertEquals(415, post("/api/actions/tag_create/execute", local(), null, null, CREATE_TAG).status());
        assertEquals(before, test.applied("/cgi-bin/tag/create"), "a write from a web page reached the upstream");
    }

    @Test
    void malformedContentTypesAndForeignCharsetsAre415() throws Exception {
        for (String type : List.of(";;;", "application/json;;;", "application/json; charset=x-unknown-9",
                "application/json; charset=ISO-8859-1", "application/json; =x", "application/jsonx")) {
            RawHttp.Response response = post("/api/actions/user_get/validate", local(), type, null, "{\"userid\": \"lisi\"}");
            assertEquals(415, response.status(), type + ": " + response.body());
        }
        assertEquals(200, post("/api/actions/user_get/validate", local(), "application/json; charset=utf-8", null, "{\"userid\": \"lisi\"}").status());
        assertEquals(200, post("/api/actions/user_get/validate", local(), "application/merge-patch+json", null, "{\"userid\": \"lisi\"}").status());
    }

    @Test
    void aRebindingHostIsRefused() throws Exception {
        long before = test.applied("/cgi-bin/tag/create");
        RawHttp.Response rebound = post("/api/actions/tag_create/execute", "attacker.example:" + port, "application/json", null, CREATE_TAG);
        assertEquals(421, rebound.status(), rebound.body());
        assertEquals(421, RawHttp.send(port, "GET /api/connections HTTP/1.1\r\nHost: attacker.example", null).status());
        assertEquals(before, test.applied("/cgi-bin/tag/create"));
        assertEquals(200, RawHttp.send(port, "GET /health HTTP/1.1\r\nHost: localhost:" + port, null).status());
        assertEquals(200, RawHttp.send(port, "GET /health HTTP/1.1\r\nHost: runtime.internal", null).status());
        assertEquals(200, RawHttp.send(port, "GET /health HTTP/1.1\r\nHost: [::1]:" + port, null).status());
    }

    @Test
    void preflightsAreAnsweredOnlyForAllowedOrigins() throws Exception {
        String preflight = "OPTIONS /api/actions/tag_create/execute HTTP/1.1\r\nHost: " + local()
                + "\r\nAccess-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: content-type\r\nOrigin: ";
        RawHttp.Response foreign = RawHttp.send(port, preflight + "https://evil.example", null);
        assertEquals(403, foreign.status(), foreign.body());
        assertNull(foreign.header("Access-Control-Allow-Origin"));
        RawHttp.Response allowed = RawHttp.send(port, preflight + ALLOWED_ORIGIN, null);
        assertEquals(204, allowed.status(), allowed.body());
        assertEquals(ALLOWED_ORIGIN, allowed.header("Access-Control-Allow-Origin"));
        assertTrue(allowed.header("Access-Control-Allow-Headers").contains("Content-Type"));

        RawHttp.Response fromForeign = post("/api/actions/user_get/execute", local(), "application/json", "https://evil.example", "{\"userid\": \"lisi\"}");
        assertEquals(403, fromForeign.status(), fromForeign.body());
        RawHttp.Response fromNull = post("/api/actions/user_get/execute", local(), "application/json", "null", "{\"userid\": \"lisi\"}");
        assertEquals(403, fromNull.status(), fromNull.body());
        RawHttp.Response fromAllowed = post("/api/actions/user_get/execute", local(), "application/json", ALLOWED_ORIGIN, "{\"userid\": \"lisi\"}");
        assertEquals(200, fromAllowed.status(), fromAllowed.body());
        assertEquals(ALLOWED_ORIGIN, fromAllowed.header("Access-Control-Allow-Origin"));
        RawHttp.Response sameOrigin = post("/api/actions/user_get/execute", local(), "application/json", "http://" + local(), "{\"userid\": \"lisi\"}");
        assertEquals(200, sameOrigin.status(), sameOrigin.body());
        assertNull(sameOrigin.header("Access-Control-Allow-Origin"));
    }

    @Test
    void wrongMethodsAre405Problems() throws Exception {
        RawHttp.Response delete = RawHttp.send(port, "DELETE /api/actions/user_get HTTP/1.1\r\nHost: " + local(), null);
        assertEquals(405, delete.status(), delete.body());
        assertTrue(delete.header("Content-Type").startsWith("application/problem+json"), delete.header("Content-Type"));
        RawHttp.Response get = RawHttp.send(port, "GET /api/actions/user_get/execute HTTP/1.1\r\nHost: " + local(), null);
        assertEquals(405, get.status(), get.body());
    }

    @Test
    void signedCallbacksWithXmlBodiesAreNotHeldToTheJsonRule() throws Exception {
        RawHttp.Response callback = post("/callbacks/sandbox/app?msg_signature=x&timestamp=1&nonce=n", local(), "text/xml", null, "<xml/>");
        assertNotEquals(415, callback.status(), callback.body());
        assertNotEquals(401, callback.status(), callback.body());
    }
}
