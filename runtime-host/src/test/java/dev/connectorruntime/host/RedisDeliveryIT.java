package dev.connectorruntime.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.connectorruntime.host.http.ApiServer;
import dev.connectorruntime.host.triggers.WebhookReceiver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three hosts behind a load balancer share one real redis-server ({@code --redis}): WeCom's callbacks
 * are posted round-robin to their {@code /callbacks/...} routes, each one resent to another host, and a
 * webhook subscription made through one host receives every event exactly once, in order.
 */
class RedisDeliveryIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String TOKEN = "QDG6eK";
    private static final String KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
    private static final String CORP = "wx5823bf96d3bd56c7";

    private RedisServer redis;
    private final List<ConnectorHost> hosts = new ArrayList<>();
    private final List<ApiServer> servers = new ArrayList<>();
    private final List<String> bases = new ArrayList<>();
    private final WebhookReceiver receiver = new WebhookReceiver();

    @BeforeEach
    void start() throws Exception {
        redis = new RedisServer();
        String kind = "{\"token\": \"" + TOKEN + "\", \"encodingAesKey\": \"" + KEY + "\"}";
        JsonNode connection = JSON.readTree("{\"name\": \"corp\", \"corpId\": \"" + CORP + "\", \"baseUrl\": \"http://127.0.0.1:9\","
                + " \"secrets\": {\"contact\": \"s\"}, \"callbacks\": {\"contact\": " + kind + "}}");
        for (int i = 0; i < 3; i++) {
            ConnectorHost host = ConnectorHost.builder().pluginsDir(TestHost.freshPluginsDir()).redis(redis.url())
                    .dataDir(Files.createTempDirectory("redis-host")).build();
            host.addConnection(connection);
            host.delivery(); // as serve does: each host serves the shared subscriptions
            ApiServer server = ApiServer.start(host, null, ApiServer.Settings.local());
            hosts.add(host);
            servers.add(server);
            bases.add("http://127.0.0.1:" + server.port());
        }
    }

    @AfterEach
    void stop() throws Exception {
        servers.forEach(ApiServer::close);
        hosts.forEach(ConnectorHost::close);
        receiver.close();
        redis.close();
    }

    @Test
    void threeHundredCallbacksPostedRoundRobinAreEachDeliveredOnce() throws Exception {
        HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(URI.create(bases.get(1) + "/api/subscriptions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"trigger\": \"change_contact_create_user\", \"connection\": \"corp\", \"url\": \""
                        + receiver.url() + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());
        receiver.secret(JSON.readTree(created.body()).get("secret").asText());
        TimeUnit.SECONDS.sleep(3); // every host has seen the new subscription (they look every 2 s)

        WeComCallbackSender wecom = new WeComCallbackSender(TOKEN, KEY, CORP);
        for (int i = 0; i < 300; i++) {
            String xml = DeliveryApiIT.createUser("u" + i);
            assertEquals("success", wecom.post(bases.get(i % 3) + "/callbacks/corp/contact", xml).body());
            // WeCom's resend of the same callback, answered by another host: recognised, not stored again
            assertEquals("success", wecom.post(bases.get((i + 1) % 3) + "/callbacks/corp/contact", xml).body());
        }

        receiver.await(300, Duration.ofSeconds(90));
        TimeUnit.SECONDS.sleep(2);
        List<WebhookReceiver.Received> got = receiver.received();
        assertEquals(300, got.size(), "each event exactly once");
        assertEquals(300, new HashSet<>(got.stream().map(r -> r.body().get("id").asText()).toList()).size());
        assertEquals(IntStream.range(0, 300).mapToObj(i -> "u" + i).toList(),
                got.stream().map(r -> r.body().at("/event/UserID").asText()).toList(), "in the order they were stored");
        assertTrue(got.stream().allMatch(WebhookReceiver.Received::signatureValid));
        for (String base : bases) {
            JsonNode page = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(base
                    + "/api/events?trigger=change_contact_create_user&limit=1000")).build(), HttpResponse.BodyHandlers.ofString()).body());
            assertEquals(300, page.get("events").size(), "every host reads the one shared log");
        }
    }
}
