package dev.connectorruntime.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connectorruntime.host.auth.SealingKeys;
import dev.connectorruntime.spi.ErrorCode;
import dev.connectorruntime.spi.ExecutionResult;
import dev.connectorruntime.spi.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three hosts, each with its own embedded store, sharing a real redis-server: a connection added,
 * replaced or removed on one is seen by the others (they poll every 200 ms; the wait here is generous
 * for a loaded machine), Redis never holds a secret in clear, and a host started later catches up.
 */
class SharedConnectionsIT {
    private static final String KEYS = SealingKeys.newKeyEntry("shared");

    @TempDir
    Path dir;
    private RedisServer redis;
    private final List<ConnectorHost> hosts = new ArrayList<>();
    private ConnectorHost sandboxHost;
    private Sandbox.Instance sandbox;

    @BeforeEach
    void start() throws Exception {
        redis = new RedisServer();
        sandboxHost = ConnectorHost.builder().pluginsDir(TestHost.freshPluginsDir()).build();
        sandbox = sandboxHost.startSandbox("wecom");
        for (int i = 0; i < 3; i++) {
            hosts.add(host(i));
        }
    }

    private ConnectorHost host(int i) {
        return ConnectorHost.builder().pluginsDir(TestHost.freshPluginsDir()).retryPolicy(TestHost.FAST_RETRIES)
                .redis(redis.url()).dataDir(dir.resolve("host-" + i)).persistConnections(true).secretKeys(KEYS).build();
    }

    @AfterEach
    void stop() throws Exception {
        hosts.forEach(ConnectorHost::close);
        sandbox.close();
        sandboxHost.close();
        redis.close();
    }

    private ObjectNode tenant(String name, String secretKind) {
        ObjectNode connection = sandbox.connection().put("name", name);
        ((ObjectNode) connection.get("secrets")).retain(secretKind);
        return connection;
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not seen within 15 s: " + what);
            }
            Thread.sleep(20);
        }
    }

    private ExecutionResult call(ConnectorHost host, String connection) {
        return host.execute("tag_list", TestHost.json("{}"), ExecuteOptions.DEFAULTS.withConnection(connection));
    }

    @Test
    void everyHostSeesAnAdditionAReplacementAndARemoval() throws Exception {
        hosts.get(0).addConnection(tenant("acme", "app"));
        awaitTrue("acme on every host", () -> hosts.stream().allMatch(h -> h.connection("acme").isPresent()));
        assertInstanceOf(ExecutionResult.Success.class, call(hosts.get(2), "acme"));

        ObjectNode rotated = tenant("acme", "app");
        ((ObjectNode) rotated.get("secrets")).put("app", "rotated-but-wrong-0001");
        hosts.get(1).replaceConnection(rotated);
        awaitTrue("the new secret on host 0", () -> call(hosts.get(0), "acme") instanceof ExecutionResult.Failure f
                && f.error().code() == ErrorCode.AUTH_FAILED);

        hosts.get(2).removeConnection("acme");
        awaitTrue("the removal on every host", () -> hosts.stream().allMatch(h -> h.connection("acme").isEmpty()));
        assertEquals(ErrorCode.INVALID_CONNECTION, ((ExecutionResult.Failure) call(hosts.get(0), "acme")).error().code());
    }

    @Test
    void aHostStartedLaterCatchesUpAndRedisHoldsNoSecretInClear() throws Exception {
        hosts.get(0).addConnection(tenant("early", "app"));
        hosts.get(0).addConnection(tenant("removed", "app"));
        hosts.get(0).removeConnection("removed");
        ConnectorHost late = host(9);
        hosts.add(late);
        assertTrue(late.connection("early").isPresent(), "loaded from Redis at start");
        assertTrue(late.connection("removed").isEmpty());
        assertInstanceOf(ExecutionResult.Success.class, call(late, "early"));

        String secret = sandbox.connection().get("secrets").get("app").asText();
        Path dump = dir.resolve("redis-dump.txt");
        Process cli = new ProcessBuilder("redis-cli", "-u", redis.url(), "HGETALL", "connector-runtime:connections:records")
                .redirectOutput(dump.toFile()).start();
        assertEquals(0, cli.waitFor());
        String records = Files.readString(dump);
        assertTrue(records.contains("early"), records);
        assertFalse(records.contains(secret), "Redis holds sealed secrets only");
    }
}
