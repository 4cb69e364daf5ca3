package dev.connectorruntime.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve} as an operator runs it: what it refuses at start, and how it stops without losing a write. */
class ServeIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String TAG_PATH = "/cgi-bin/tag/create";
    @TempDir
    static Path dir;
    private static TestHost test;
    private static Path connection;
    private static int tags;

    @BeforeAll
    static void start() throws Exception {
        test = TestHost.start();
        connection = Files.writeString(dir.resolve("sandbox.json"), test.connection().toString());
    }

    @AfterAll
    static void stop() {
        test.close();
    }

    @BeforeEach
    void reset() {
        test.reset();
    }

    private static CompletableFuture<HttpResponse<String>> createTag(int port) {
        tags++;
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/actions/tag_create/execute"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(90))
                .POST(HttpRequest.BodyPublishers.ofString("{\"tagname\": \"停机" + tags + "\"}")).build();
        return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static void awaitInFlight(int port, int calls) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (TestHost.json(get(port, "/health").body()).get("inFlight").asInt() < calls) {
            assertTrue(System.nanoTime() < deadline, "calls never reached the server");
            Thread.sleep(20);
        }
    }

    @Test
    void sigtermLetsRunningWritesFinishAndTheirCallersGetTheAnswer() throws Exception {
        test.fault("{\"path\": \"" + TAG_PATH + "\", \"kind\": \"latency\", \"latencyMs\": 2000, \"times\": 10}");
        try (ServeProcess serve = ServeProcess.start(test.pluginsDir, Map.of(), "--connection", connection.toString())) {
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                calls.add(createTag(serve.port));
            }
            awaitInFlight(serve.port, 10);
            serve.terminate();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            HttpResponse<String> health;
            do {
                health = get(serve.port, "/health");
            } while (health.statusCode() == 200 && System.nanoTime() < deadline);
            assertEquals(503, health.statusCode(), health.body());
            assertEquals("DRAINING", TestHost.json(health.body()).get("status").asText());
            HttpResponse<String> late = createTag(serve.port).get(30, TimeUnit.SECONDS);
            assertEquals(503, late.statusCode(), late.body());
            for (CompletableFuture<HttpResponse<String>> call : calls) {
                HttpResponse<String> response = call.get(60, TimeUnit.SECONDS);
                assertEquals(200, response.statusCode(), response.body());
                assertTrue(TestHost.json(response.body()).has("tagid"), response.body());
            }
            assertTrue(serve.process.waitFor(60, TimeUnit.SECONDS), "serve did not exit after the drain");
            assertEquals(10, test.applied(TAG_PATH), "every answered write was applied, and only those");
        }
    }

    @Test
    void callsStillRunningAtTheDrainBoundAreAnsweredOutcomeUnknown() throws Exception {
        test.fault("{\"path\": \"" + TAG_PATH + "\", \"kind\": \"latency\", \"latencyMs\": 5000, \"times\": 3}");
        try (ServeProcess serve = ServeProcess.start(test.pluginsDir, Map.of(), "--connection", connection.toString(), "--drain-timeout", "1")) {
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                calls.add(createTag(serve.port));
            }
            awaitInFlight(serve.port, 3);
            serve.terminate();
            for (CompletableFuture<HttpResponse<String>> call : calls) {
                HttpResponse<String> response = call.get(60, TimeUnit.SECONDS);
                assertEquals(504, response.statusCode(), response.body());
                JsonNode problem = TestHost.json(response.body());
                assertEquals("OUTCOME_UNKNOWN", problem.at("/error/code").asText(), response.body());
            }
            assertTrue(serve.process.waitFor(60, TimeUnit.SECONDS), "serve did not exit after the drain bound");
        }
        // The sandbox still applies the writes that were cut off: their outcome was indeed unknown to the caller.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (test.applied(TAG_PATH) < 3 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(3, test.applied(TAG_PATH));
    }

    @Test
    void anEmptyKeyOrAnOpenInterfaceWithoutKeysRefusesToStart() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty-key"), " \n");
        CliIT.Run emptyFile = ServeProcess.refused(test.pluginsDir, Map.of(), "--api-key-file", empty.toString());
        assertNotEquals(0, emptyFile.exit());
        assertTrue(emptyFile.out().contains("empty"), emptyFile.out());
        CliIT.Run emptyVariable = ServeProcess.refused(test.pluginsDir, Map.of("RUNTIME_API_KEY", ""));
        assertNotEquals(0, emptyVariable.exit());
        assertTrue(emptyVariable.out().contains("RUNTIME_API_KEY"), emptyVariable.out());
        CliIT.Run open = ServeProcess.refused(test.pluginsDir, Map.of(), "--host", "0.0.0.0");
        assertNotEquals(0, open.exit());
        assertTrue(open.out().contains("--insecure-no-auth"), open.out());
        try (ServeProcess insecure = ServeProcess.start(test.pluginsDir, Map.of(), "--host", "0.0.0.0", "--insecure-no-auth",
                "--connection", connection.toString())) {
            assertEquals(200, get(insecure.port, "/health").statusCode());
        }
    }

    @Test
    void aRedisThatRefusesThePasswordOrTlsIsAStartUpErrorUnlessOptional() throws Exception {
        try (RedisServer redis = new RedisServer("--requirepass", "right-password-1")) {
            String url = redis.url();
            CliIT.Run noPassword = ServeProcess.refused(test.pluginsDir, Map.of(), "--redis", url);
            assertNotEquals(0, noPassword.exit());
            assertTrue(noPassword.out().contains("refused the credentials"), noPassword.out());
            String wrong = url.replace("redis://", "redis://:wrong-password-2@");
            CliIT.Run wrongPassword = ServeProcess.refused(test.pluginsDir, Map.of(), "--redis", wrong);
            assertNotEquals(0, wrongPassword.exit());
            assertTrue(wrongPassword.out().contains("refused the credentials"), wrongPassword.out());
            assertTrue(!wrongPassword.out().contains("wrong-password-2"), "the password was printed: " + wrongPassword.out());
            CliIT.Run tls = ServeProcess.refused(test.pluginsDir, Map.of(), "--redis", url.replace("redis://", "rediss://:right-password-1@"));
            assertNotEquals(0, tls.exit());
            assertTrue(tls.out().contains("TLS"), tls.out());
            try (ServeProcess optional = ServeProcess.start(test.pluginsDir, Map.of(), "--redis", url, "--redis-optional",
                    "--connection", connection.toString())) {
                assertEquals(200, get(optional.port, "/health").statusCode());
                assertTrue(optional.output.toString().contains("refused the credentials"), optional.output.toString());
            }
            try (ServeProcess right = ServeProcess.start(test.pluginsDir, Map.of(), "--redis",
                    url.replace("redis://", "redis://:right-password-1@"), "--connection", connection.toString())) {
                assertEquals(200, get(right.port, "/health").statusCode());
            }
        }
    }
}
