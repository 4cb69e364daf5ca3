package dev.connectorruntime.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connectorruntime.host.format.ErrorJson;
import dev.connectorruntime.spi.ActionException;
import dev.connectorruntime.spi.ExecutionResult;
import dev.connectorruntime.spi.Sandbox;
import java.io.IOException;
import java.io.UncheckedIOException;
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

    final ConnectorHost host;
    final Sandbox.Instance sandbox;
    final Path pluginsDir;
    final SandboxAdmin admin;

    private TestHost(ConnectorHost.Builder builder, Path pluginsDir) throws ActionException {
        this.pluginsDir = pluginsDir;
        this.host = builder.pluginsDir(pluginsDir).build();
        this.sandbox = host.startSandbox("wecom");
        this.admin = new SandboxAdmin(sandbox);
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

    /** The plugin zips a test host loads: the WeCom connector and its sandbox, as the distribution ships them. */
    static final java.util.List<String> PLUGIN_ZIPS = java.util.List.of("wecom-plugin.zip", "wecom-sandbox-plugin.zip");

    /** A new plugins directory holding the packaged WeCom plugin and sandbox zips from the distribution. */
    static Path freshPluginsDir() {
        String dist = System.getProperty("runtime.dist", "target/dist");
        try {
            Path dir = Files.createTempDirectory("plugins");
            for (String name : PLUGIN_ZIPS) {
                Path zip = Path.of(dist, "plugins", name);
                if (!Files.isRegularFile(zip)) {
                    throw new IllegalStateException("packaged plugin not found at " + zip + " (run ./mvnw verify)");
                }
                Files.copy(zip, dir.resolve(name));
            }
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
        admin.reset();
    }

    JsonNode stats() {
        return admin.stats();
    }

    long applied(String path) {
        return admin.applied(path);
    }

    long requests(String path) {
        return admin.requests(path);
    }

    long gettokenCalls() {
        return admin.gettokenCalls();
    }

    JsonNode recentRequests() {
        return admin.recentRequests();
    }

    void fault(String specJson) {
        admin.fault(specJson);
    }

    void revokeTokens() {
        admin.call("POST", "/sandbox/tokens/revoke", "{}");
    }

    void expireTokens() {
        admin.call("POST", "/sandbox/tokens/expire", "{}");
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
