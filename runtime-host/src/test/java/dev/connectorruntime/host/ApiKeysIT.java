package dev.connectorruntime.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connectorruntime.host.http.ApiKeys;
import dev.connectorruntime.host.http.ApiServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys per tenant, as an attacker holding one tenant's key (or none) would try them, over real HTTP. */
class ApiKeysIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String READER = ApiKeys.newKey();
    private static final String OPS = ApiKeys.newKey();
    private static final String ADMIN = ApiKeys.newKey();
    private static final String USER_CREATE = "{\"userid\": \"k%d\", \"name\": \"钥匙\", \"department\": [1], \"mobile\": \"1395555%04d\"}";
    @TempDir
    static Path dir;
    private static TestHost test;
    private static ApiServer server;
    private static int created;

    @BeforeAll
    static void start() throws Exception {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        test = TestHost.start(ConnectorHost.builder().retryPolicy(TestHost.FAST_RETRIES).meters(prometheus));
        ObjectNode acme = test.connection().deepCopy();
        acme.put("name", "acme");
        test.host.addConnection(acme);
        Path keys = dir.resolve("keys.json");
        Files.writeString(keys, """
                {"keys": [
                  {"name": "acme-reader", "sha256": "%s", "connections": ["acme"], "scopes": []},
                  {"name": "sandbox-ops", "sha256": "%s", "connections": ["sandbox"], "scopes": ["write", "test-connections"]},
                  {"name": "admin", "sha256": "%s", "connections": ["*"], "scopes": ["write", "raw-call", "test-connections", "manage-connections"]}
                ]}""".formatted(ApiKeys.hash(READER), ApiKeys.hash(OPS), ApiKeys.hash(ADMIN)));
        assertFalse(Files.readString(keys).contains(READER), "the file holds hashes, not keys");
        server = ApiServer.start(test.host, prometheus, ApiServer.Settings.local().withKeys(ApiKeys.read(keys)));
    }

    @AfterAll
    static void stop() {
        server.close();
        test.close();
    }

    static HttpResponse<String> call(String method, String path, String key, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    static HttpResponse<String> execute(String action, String key, String body, String... headers) throws Exception {
        return call("POST", "/api/actions/" + action + "/execute", key, body, headers);
    }

    private static String newUser() {
        created++;
        return USER_CREATE.formatted(created, created);
    }

    @Test
    void aReaderKeyReadsItsOwnConnectionOnly() throws Exception {
        HttpResponse<String> own = execute("user_get", READER, "{\"userid\": \"lisi\"}");
        assertEquals(200, own.statusCode(), own.body());
        HttpResponse<String> other = execute("user_get", READER, "{\"userid\": \"lisi\"}", "X-Connection", "sandbox");
        assertEquals(403, other.statusCode(), other.body());
        HttpResponse<String> unknown = execute("user_get", READER, "{\"userid\": \"lisi\"}", "X-Connection", "nope");
        assertEquals(403, unknown.statusCode(), unknown.body());
        assertFalse(unknown.body().contains("sandbox"), "another tenant's connection name leaked: " + unknown.body());
        assertEquals("[\"acme\"]", call("GET", "/api/connections", READER, null).body());
    }

    @Test
    void writesTheRawCallAndConnectionTestsNeedTheirScopes() throws Exception {
        long before = test.applied("/cgi-bin/user/create");
        HttpResponse<String> write = execute("user_create", READER, newUser());
        assertEquals(403, write.statusCode(), write.body());
        assertTrue(write.body().contains("write"), write.body());
        assertEquals(403, execute("wecom_api_call", OPS, "{\"method\": \"POST\", \"path\": \"/cgi-bin/user/delete\", \"query\": {\"userid\": \"lisi\"}}").statusCode());
        assertEquals(403, call("GET", "/api/connections/acme/test", READER, null).statusCode());
        assertEquals(before, test.applied("/cgi-bin/user/create"), "a refused write reached the upstream");

        assertEquals(200, execute("user_create", OPS, newUser()).statusCode());
        assertEquals(200, call("GET", "/api/connections/sandbox/test", OPS, null).statusCode());
        assertEquals(403, call("GET", "/api/connections/acme/test", OPS, null).statusCode());
        HttpResponse<String> raw = execute("wecom_api_call", ADMIN, "{\"method\": \"GET\", \"path\": \"/cgi-bin/user/get\", \"query\": {\"userid\": \"lisi\"}}");
        assertEquals(200, raw.statusCode(), raw.body());
    }

    @Test
    void badOrMissingKeysAre401AndTheSchemeIsCaseInsensitive() throws Exception {
        assertEquals(401, execute("user_get", null, "{\"userid\": \"lisi\"}").statusCode());
        assertEquals(401, execute("user_get", READER + "x", "{\"userid\": \"lisi\"}").statusCode());
        assertEquals(401, execute("user_get", "", "{\"userid\": \"lisi\"}").statusCode());
        for (String scheme : new String[] {"bearer", "BEARER", "BeArEr"}) {
            HttpResponse<String> ok = call("POST", "/api/actions/user_get/execute", null, "{\"userid\": \"lisi\"}",
                    "Authorization", scheme + " " + READER);
            assertEquals(200, ok.statusCode(), scheme + ": " + ok.body());
        }
        HttpResponse<String> basic = call("GET", "/api/connections", null, null, "Authorization", "Basic " + READER);
        assertEquals(401, basic.statusCode());
    }

    @Test
    void withoutAKeyOnlyTheCatalogHealthAndCallbacksAreOpen() throws Exception {
        assertEquals(200, call("GET", "/health", null, null).statusCode());
        assertEquals(200, call("GET", "/api/actions", null, null).statusCode());
        assertEquals(200, call("GET", "/api/actions/user_get", null, null).statusCode());
        assertEquals(200, call("GET", "/api/connectors", null, null).statusCode());
        assertEquals(200, call("GET", "/openapi.json", null, null).statusCode());
        assertEquals(200, call("POST", "/api/actions/user_get/validate", null, "{\"userid\": \"lisi\"}").statusCode());
        // What reveals configuration needs a key.
        assertEquals(401, call("GET", "/api/connections", null, null).statusCode());
        assertEquals(401, call("GET", "/metrics", null, null).statusCode());
        HttpResponse<String> named = call("POST", "/api/actions/user_get/validate", null, "{\"userid\": \"lisi\"}", "X-Connection", "nope");
        assertEquals(401, named.statusCode(), named.body());
        assertFalse(named.body().contains("sandbox"), named.body());
        assertEquals(401, call("GET", "/api/anything-new", null, null).statusCode(), "new routes are closed by default");
        assertTrue(call("POST", "/callbacks/sandbox/app", null, "<xml/>").statusCode() != 401, "callbacks are signed, not keyed");
    }

    @Test
    void aKeysFileWithMistakesIsRefusedNamingTheEntry() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.json"), "{\"keys\": []}");
        assertThrows(IllegalArgumentException.class, () -> ApiKeys.read(empty));
        Path plain = Files.writeString(dir.resolve("plain.json"),
                "{\"keys\": [{\"name\": \"a\", \"sha256\": \"" + READER + "\", \"connections\": [\"*\"], \"scopes\": []}]}");
        IllegalArgumentException notHashed = assertThrows(IllegalArgumentException.class, () -> ApiKeys.read(plain));
        assertTrue(notHashed.getMessage().contains("/keys/0/sha256"), notHashed.getMessage());
        Path scope = Files.writeString(dir.resolve("scope.json"), "{\"keys\": [{\"name\": \"a\", \"sha256\": \""
                + ApiKeys.hash("k") + "\", \"connections\": [\"*\"], \"scopes\": [\"everything\"]}]}");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ApiKeys.read(scope)).getMessage().contains("everything"));
        assertThrows(IllegalArgumentException.class, () -> ApiKeys.single("  \n"));
    }
}
