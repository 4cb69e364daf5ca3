package dev.connectorruntime.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.connectorruntime.host.triggers.WebhookReceiver;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The host as an operator runs it ({@code bin/runtime-host serve}, a real process) is killed with
 * SIGKILL after it acknowledged WeCom's callbacks and before it could deliver them: after a restart on
 * the same data directory, the subscription is still there and the events are delivered, in order.
 */
class DeliveryCrashIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final Pattern SERVING = Pattern.compile("on http://127\\.0\\.0\\.1:(\\d+)/");
    private static final String TOKEN = "QDG6eK";
    private static final String KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
    private static final String CORP = "wx5823bf96d3bd56c7";

    private Process host;
    private final WebhookReceiver receiver = new WebhookReceiver();

    @AfterEach
    void stop() throws Exception {
        if (host != null && host.isAlive()) {
            host.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        receiver.close();
    }

    /** Starts {@code serve} on a free port; returns the port it prints. */
    private int serve(Path dataDir, Path connection) throws Exception {
        Path launcher = Path.of(System.getProperty("runtime.dist", "target/dist"), "bin", "runtime-host");
        ProcessBuilder builder = new ProcessBuilder(launcher.toString(), "--plugins", TestHost.freshPluginsDir().toString(),
                "serve", "--port", "0", "--connection", connection.toString());
        builder.environment().keySet().removeIf(k -> k.startsWith("CONNECTION_") || k.startsWith("RUNTIME_"));
        builder.environment().put("RUNTIME_DATA_DIR", dataDir.toString());
        builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        host = builder.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(host.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Integer> port = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line; (line = out.readLine()) != null; ) {
                    Matcher m = SERVING.matcher(line);
                    if (m.find()) {
                        return Integer.parseInt(m.group(1));
                    }
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            throw new IllegalStateException("serve ended without serving");
        });
        return port.get(60, TimeUnit.SECONDS);
    }

    @Test
    void eventsAcknowledgedBeforeAKillAreDeliveredAfterTheRestart() throws Exception {
        Path dataDir = Files.createTempDirectory("crash-data");
        Path connection = Files.createTempFile("corp", ".json");
        String kind = "{\"token\": \"" + TOKEN + "\", \"encodingAesKey\": \"" + KEY + "\"}";
        Files.writeString(connection, "{\"name\": \"corp\", \"corpId\": \"" + CORP + "\", \"baseUrl\": \"http://127.0.0.1:9\","
                + " \"secrets\": {\"contact\": \"s\"}, \"callbacks\": {\"contact\": " + kind + "}}");
        int receiverPort = receiver.port();
        receiver.stop(); // the subscriber is down: deliveries wait for it

        String base = "http://127.0.0.1:" + serve(dataDir, connection);
        HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/subscriptions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"trigger\": \"change_contact_create_user\", \"url\": \"" + receiver.url() + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());
        JsonNode subscription = JSON.readTree(created.body());
        receiver.secret(subscription.get("secret").asText());

        WeComCallbackSender wecom = new WeComCallbackSender(TOKEN, KEY, CORP);
        for (String user : List.of("a1", "a2", "a3")) {
            HttpResponse<String> ack = wecom.post(base + "/callbacks/corp/contact", DeliveryApiIT.createUser(user));
            assertEquals("success", ack.body(), "acknowledged: stored");
        }
        host.destroyForcibly(); // SIGKILL: no shutdown hook, no flush, no goodbye
        assertTrue(host.waitFor(10, TimeUnit.SECONDS));
        assertEquals(137, host.exitValue());
        assertTrue(receiver.received().isEmpty());

        receiver.start(receiverPort);
        serve(dataDir, connection);
        List<WebhookReceiver.Received> got = receiver.await(3, Duration.ofSeconds(60));
        TimeUnit.MILLISECONDS.sleep(500);
        assertEquals(List.of("a1", "a2", "a3"), receiver.received().stream().map(r -> r.body().at("/event/UserID").asText()).toList());
        assertTrue(got.stream().allMatch(WebhookReceiver.Received::signatureValid), "signed with the secret kept across the restart");
    }
}
