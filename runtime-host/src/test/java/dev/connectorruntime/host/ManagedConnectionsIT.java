package dev.connectorruntime.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connectorruntime.host.auth.SealingKeys;
import dev.connectorruntime.host.http.ApiKeys;
import dev.connectorruntime.host.http.ApiServer;
import dev.connectorruntime.spi.ExecutionResult;
import dev.connectorruntime.spi.Sandbox;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connections as a managed resource over HTTP (PUT, GET, DELETE, test on save), kept in the embedded
 * store across restarts with their secrets sealed (the store's files never hold one in clear), key
 * rotation, read-only sources and the scope that changing them needs.
 */
class ManagedConnectionsIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String KEY_1 = SealingKeys.newKeyEntry("k1");
    private static final String KEY_2 = SealingKeys.newKeyEntry("k2");

    @TempDir
    Path dataDir;
    private Path pluginsDir;
    private ConnectorHost sandboxHost;
    private Sandbox.Instance sandbox;
    private ConnectorHost host;
    private ApiServer server;

    @BeforeEach
    void start() throws Exception {
        pluginsDir = TestHost.freshPluginsDir();
        sandboxHost = ConnectorHost.builder().pluginsDir(TestHost.freshPluginsDir()).build();
        sandbox = sandboxHost.startSandbox("wecom");
        host = open(KEY_1);
        host.addReadOnlyConnection(sandbox.connection(), "the sandbox");
        server = ApiServer.start(host, null, ApiServer.Settings.local());
    }

    @AfterEach
    void stop() {
        server.close();
        sandbox.close();
        sandboxHost.close();
        host.close();
    }

    private ConnectorHost open(String keys) {
        return ConnectorHost.builder().pluginsDir(pluginsDir).retryPolicy(TestHost.FAST_RETRIES).dataDir(dataDir)
                .persistConnections(true).secretKeys(keys).build();
    }

    private void restart(String keys) {
        server.close();
        host.close();
        host = open(keys);
        server = ApiServer.start(host, null, ApiServer.Settings.local());
    }

    private ObjectNode tenant(String secretKind) {
        ObjectNode connection = sandbox.connection();
        connection.remove("name");
        ((ObjectNode) connection.get("secrets")).retain(secretKind);
        return connection;
    }

    private String secretOf(String kind) {
        return sandbox.connection().get("secrets").get(kind).asText();
    }

    private HttpResponse<String> send(String method, String path, String body, String apiKey) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return send(method, path, body, null);
    }

    private ExecutionResult call(String connection) {
        return host.execute("tag_list", TestHost.json("{}"), ExecuteOptions.DEFAULTS.withConnection(connection));
    }

    @Test
    void theLifecycleOverHttp() throws Exception {
        HttpResponse<String> created = send("PUT", "/api/connections/acme", tenant("app").toString());
        assertEquals(201, created.statusCode(), created.body());
        assertFalse(created.body().contains(secretOf("app")), "secrets are write-only: " + created.body());
        JsonNode shown = TestHost.json(created.body());
        assertEquals("[\"app\"]", shown.get("secretKinds").toString());
        assertEquals("managed", shown.get("source").asText());

        HttpResponse<String> execute = send("POST", "/api/actions/tag_list/execute?connection=acme", "{}");
        assertEquals(200, execute.statusCode(), "the next call uses it: " + execute.body());

        // a settings form never has the secrets back: leaving them out keeps them
        HttpResponse<String> replaced = send("PUT", "/api/connections/acme",
                "{\"corpId\": \"" + sandbox.connection().get("corpId").asText() + "\", \"baseUrl\": \""
                        + sandbox.baseUrl() + "\", \"rateLimitPerSecond\": 50}");
        assertEquals(200, replaced.statusCode(), replaced.body());
        assertEquals(50.0, TestHost.json(replaced.body()).get("rateLimitPerSecond").asDouble());
        assertEquals("[\"app\"]", TestHost.json(replaced.body()).get("secretKinds").toString());
        assertInstanceOf(ExecutionResult.Success.class, call("acme"));

        HttpResponse<String> got = send("GET", "/api/connections/acme", null);
        assertEquals(200, got.statusCode());
        assertFalse(got.body().contains(secretOf("app")));

        assertEquals(204, send("DELETE", "/api/connections/acme", null).statusCode());
        assertEquals(404, send("GET", "/api/connections/acme", null).statusCode());
        assertEquals(404, send("DELETE", "/api/connections/acme", null).statusCode());
        HttpResponse<String> gone = send("POST", "/api/actions/tag_list/execute?connection=acme", "{}");
        assertEquals(400, gone.statusCode());
        assertTrue(gone.body().contains("Unknown connection 'acme'"), gone.body());
        assertFalse(gone.body().contains("sandbox"), "never names another connection: " + gone.body());
    }

    @Test
    void aConnectionBreakingItsSchemaIsRefusedNamingTheField() throws Exception {
        ObjectNode bad = tenant("app").put("rateLimitPerSecond", "fast");
        HttpResponse<String> refused = send("PUT", "/api/connections/bad", bad.toString());
        assertEquals(400, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("/rateLimitPerSecond"), refused.body());
        assertEquals(404, send("GET", "/api/connections/bad", null).statusCode(), "nothing saved");
        HttpResponse<String> mismatch = send("PUT", "/api/connections/a", tenant("app").put("name", "b").toString());
        assertEquals(422, mismatch.statusCode());
    }

    @Test
    void testOnSaveRefusesARejectedSecretAndSavesNothing() throws Exception {
        ObjectNode wrong = tenant("app");
        ((ObjectNode) wrong.get("secrets")).put("app", "not-the-corps-secret-0001");
        HttpResponse<String> refused = send("PUT", "/api/connections/acme?test=true", wrong.toString());
        assertEquals(422, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("\"ok\":false"), refused.body());
        assertFalse(refused.body().contains("not-the-corps-secret-0001"));
        assertEquals(404, send("GET", "/api/connections/acme", null).statusCode());

        assertEquals(201, send("PUT", "/api/connections/acme?test=true", tenant("app").toString()).statusCode());
    }

    @Test
    void readOnlyConnectionsAreNotChangedHere() throws Exception {
        HttpResponse<String> put = send("PUT", "/api/connections/sandbox", tenant("app").toString());
        assertEquals(409, put.statusCode(), put.body());
        assertEquals(409, send("DELETE", "/api/connections/sandbox", null).statusCode());
        assertEquals("the sandbox", TestHost.json(send("GET", "/api/connections/sandbox", null).body()).get("source").asText());
    }

    @Test
    void changingConnectionsNeedsTheScopeAndTheConnection() throws Exception {
        String reader = ApiKeys.newKey();
        String admin = ApiKeys.newKey();
        String acmeAdmin = ApiKeys.newKey();
        Path keys = dataDir.resolve("keys.json");
        Files.writeString(keys, """
                {"keys": [
                  {"name": "reader", "sha256": "%s", "connections": ["*"], "scopes": []},
                  {"name": "admin", "sha256": "%s", "connections": ["*"], "scopes": ["manage-connections"]},
                  {"name": "acme-admin", "sha256": "%s", "connections": ["acme"], "scopes": ["manage-connections"]}
                ]}""".formatted(ApiKeys.hash(reader), ApiKeys.hash(admin), ApiKeys.hash(acmeAdmin)));
        server.close();
        server = ApiServer.start(host, null, ApiServer.Settings.local().withKeys(ApiKeys.read(keys)));
        String body = tenant("app").toString();
        assertEquals(401, send("PUT", "/api/connections/acme", body).statusCode());
        assertEquals(403, send("PUT", "/api/connections/acme", body, reader).statusCode());
        assertEquals(403, send("PUT", "/api/connections/other", body, acmeAdmin).statusCode());
        assertEquals(201, send("PUT", "/api/connections/acme", body, acmeAdmin).statusCode());
        assertEquals(200, send("GET", "/api/connections/acme", null, reader).statusCode());
        assertEquals(403, send("DELETE", "/api/connections/acme", null, reader).statusCode());
        assertEquals(204, send("DELETE", "/api/connections/acme", null, admin).statusCode());
    }

    @Test
    void aRestartKeepsConnectionsAndTheStoreNeverHoldsASecretInClear() throws Exception {
        ObjectNode all = tenant("app");
        all.set("secrets", sandbox.connection().get("secrets"));
        assertEquals(201, send("PUT", "/api/connections/acme", all.toString()).statusCode());
        assertEquals(201, send("PUT", "/api/connections/gone", tenant("app").toString()).statusCode());
        assertEquals(204, send("DELETE", "/api/connections/gone", null).statusCode());

        restart(KEY_1);
        assertTrue(host.connection("acme").isPresent(), "kept across the restart");
        assertTrue(host.connection("gone").isEmpty(), "a removal is kept too");
        assertInstanceOf(ExecutionResult.Success.class, call("acme"));

        List<String> secrets = new ArrayList<>();
        sandbox.connection().get("secrets").forEach(s -> secrets.add(s.asText()));
        assertTrue(secrets.size() >= 2, "the sandbox connection has several secrets: " + secrets.size());
        assertStoreHoldsNone(secrets);
    }

    @Test
    void keysRotateByPuttingTheNewOneFirstThenDroppingTheOld() throws Exception {
        assertEquals(201, send("PUT", "/api/connections/acme", tenant("app").toString()).statusCode());

        restart(KEY_2 + "," + KEY_1); // k2 seals from now on; k1 still opens
        assertInstanceOf(ExecutionResult.Success.class, call("acme"));

        restart(KEY_2); // k1 retired: the start before sealed everything again with k2
        assertTrue(host.connection("acme").isPresent(), "opened with k2 alone");
        assertInstanceOf(ExecutionResult.Success.class, call("acme"));

        restart(SealingKeys.newKeyEntry("k3")); // a key that never sealed it: not loaded, and says why
        assertTrue(host.connection("acme").isEmpty());
    }

    /** Every file under the data directory, as bytes: none contains any secret, in UTF-8 or UTF-16. */
    private void assertStoreHoldsNone(List<String> secrets) throws IOException {
        List<Path> files;
        try (var walk = Files.walk(dataDir)) {
            files = walk.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().equals(SealingKeys.GENERATED_FILE)).toList();
        }
        assertFalse(files.isEmpty());
        for (Path file : files) {
            byte[] bytes = Files.readAllBytes(file);
            String utf8 = new String(bytes, StandardCharsets.ISO_8859_1);
            for (String secret : secrets) {
                assertFalse(utf8.contains(secret), file + " holds a secret in clear");
                assertFalse(utf8.contains(new String(secret.getBytes(StandardCharsets.UTF_16BE), StandardCharsets.ISO_8859_1)),
                        file + " holds a secret in UTF-16");
            }
        }
    }
}
