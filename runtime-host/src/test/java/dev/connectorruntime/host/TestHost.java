package dev.connectorruntime.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connectorruntime.spi.ActionException;
import dev.connectorruntime.spi.ExecutionResult;
import dev.connectorruntime.spi.Sandbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A host loaded from the packaged plugin zip (copied into a fresh plugins directory, as an operator
 * would install it), with a running WeCom sandbox as its default connection. The sandbox's admin API
 * is spoken over real HTTP.
 */
final class TestHost implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final RetryPolicy FAST_RETRIES = new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(10));
    private static final HttpClient ADMIN = HttpClient.newHttpClient();

    final ConnectorHost host;
    final Sandbox.Instance sandbox;
    final Path pluginsDir;

    private TestHost(ConnectorHost.Builder builder, Path pluginsDir) throws ActionException {
        this.pluginsDir = pluginsDir;
        this.host = builder.pluginsDir(pluginsDir).build();
        this.sandbox = host.startSandbox("wecom");
        host.addConnection(sandbox.connection());
    }

    static TestHost start() {
        return start(ConnectorHost.builder().retryPolicy(FAST_RETRIES));
    }

    static TestHost start(ConnectorHost.Builder builder) {
        try {
            return new TestHost(builder, freshPluginsDir());
        } catch (ActionException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** A new plugins directory holding the packaged WeCom plugin zip from the distribution. */
    static Path freshPluginsDir() {
        String dist = System.getProperty("runtime.dist", "target/dist");
        Path zip = Path.of(dist, "plugins", "wecom-plugin.zip");
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException("packaged plugin not found at " + zip + " (run ./mvnw verify)");
        }
        try {
            Path dir = Files.createTempDirectory("plugins");
            Files.copy(zip, dir.resolve("wecom-plugin.zip"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    ExecutionResult execute(String action, String inputJson) {
        return host.execute(action, json(inputJson));
    }

    JsonNode success(String action, String inputJson) {
        ExecutionResult result = execute(action, inputJson);
        if (result instanceof ExecutionResult.Failure failure) {
            throw new AssertionError(action + " failed: " + ErrorJson.of(failure.error()));
        }
        return ((ExecutionResult.Success) result).output();
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // --- the sandbox's admin API, over HTTP ---

    void reset() {
        admin("POST", "/sandbox/reset", "{}");
    }

    JsonNode stats() {
        return admin("GET", "/sandbox/stats", null);
    }

    long applied(String path) {
        return stats().path("applied").path(path).asLong();
    }

    long requests(String path) {
        return stats().path("requests").path(path).asLong();
    }

    long gettokenCalls() {
        long total = 0;
        for (JsonNode n : stats().path("gettoken")) {
            total += n.asLong();
        }
        return total;
    }

    /** The requests the sandbox received (access_token removed), oldest first. */
    JsonNode recentRequests() {
        return admin("GET", "/sandbox/requests", null).path("requests");
    }

    void fault(String specJson) {
        admin("POST", "/sandbox/faults", specJson);
    }

    void revokeTokens() {
        admin("POST", "/sandbox/tokens/revoke", "{}");
    }

    void expireTokens() {
        admin("POST", "/sandbox/tokens/expire", "{}");
    }

    JsonNode admin(String method, String path, String body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + path));
            request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            HttpResponse<String> response = ADMIN.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("sandbox admin " + path + " answered " + response.statusCode());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    ObjectNode connection() {
        return sandbox.connection();
    }

    @Override
    public void close() {
        sandbox.close();
        host.close();
    }
}
