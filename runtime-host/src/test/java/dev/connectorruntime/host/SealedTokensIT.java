package dev.connectorruntime.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.connectorruntime.host.auth.SealingKeys;
import dev.connectorruntime.spi.ExecutionResult;
import dev.connectorruntime.spi.Sandbox;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Access tokens in a shared Redis are sealed with the configured secret keys, and hosts still share them. */
class SealedTokensIT {
    private static final String KEYS = SealingKeys.newKeyEntry("k1");
    private RedisServer redis;
    private Sandbox.Instance sandbox;
    private SandboxAdmin admin;
    private final List<ConnectorHost> hosts = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        redis = new RedisServer();
        ConnectorHost first = host(KEYS);
        sandbox = first.startSandbox("wecom");
        admin = new SandboxAdmin(sandbox);
        first.addConnection(sandbox.connection());
    }

    @AfterEach
    void stop() throws Exception {
        sandbox.close();
        hosts.forEach(ConnectorHost::close);
        redis.close();
    }

    private ConnectorHost host(String secretKeys) throws Exception {
        ConnectorHost host = ConnectorHost.builder().pluginsDir(TestHost.freshPluginsDir()).retryPolicy(TestHost.FAST_RETRIES)
                .redis(redis.url()).secretKeys(secretKeys).build();
        if (sandbox != null) {
            host.addConnection(sandbox.connection());
        }
        hosts.add(host);
        return host;
    }

    private static void userGet(ConnectorHost host) {
        ExecutionResult result = host.execute("user_get", TestHost.json("{\"userid\": \"zhangsan\"}"), ExecuteOptions.DEFAULTS);
        assertInstanceOf(ExecutionResult.Success.class, result, result::toString);
    }

    private long gettoken() {
        return admin.stats().path("gettoken").path("app").asLong();
    }

    /** Every token value in Redis (field {@code v} of each token entry). */
    private List<String> storedValues() throws IOException, InterruptedException {
        List<String> values = new ArrayList<>();
        for (String key : redisCli("--scan", "--pattern", "connector-runtime:*")) {
            if (!key.endsWith(":lock") && redisCli("TYPE", key).equals(List.of("hash")) && !redisCli("HGET", key, "e").isEmpty()) {
                values.addAll(redisCli("HGET", key, "v"));
            }
        }
        return values;
    }

    private void storeInAllTokenEntries(String value) throws IOException, InterruptedException {
        for (String key : redisCli("--scan", "--pattern", "connector-runtime:*")) {
            if (!key.endsWith(":lock") && redisCli("TYPE", key).equals(List.of("hash")) && !redisCli("HGET", key, "e").isEmpty()) {
                redisCli("HSET", key, "v", value);
            }
        }
    }

    private List<String> redisCli(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-u", redis.url()));
        command.addAll(List.of(args));
        Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, cli.waitFor(), out);
        return out.lines().filter(line -> !line.isBlank()).toList();
    }

    @Test
    void tokensAreStoredSealedAndStillSharedByHostsWithTheSameKeys() throws Exception {
        userGet(hosts.get(0));
        userGet(host(KEYS));
        assertEquals(1, gettoken(), "the second host opened the first host's token");
        List<String> values = storedValues();
        assertFalse(values.isEmpty());
        values.forEach(v -> assertTrue(v.startsWith("v1:k1:"), "sealed, not the token: " + v.length() + " chars"));
    }

    @Test
    void aHostWithOtherKeysFetchesItsOwnTokenInsteadOfFailing() throws Exception {
        userGet(hosts.get(0));
        userGet(host(SealingKeys.newKeyEntry("k2")));
        assertEquals(2, gettoken());
    }

    @Test
    void anAlteredOrClearValueCountsAsAbsent() throws Exception {
        userGet(hosts.get(0));
        storeInAllTokenEntries("v1:k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        userGet(host(KEYS));
        assertEquals(2, gettoken(), "an altered value is fetched again");
        storeInAllTokenEntries("a-token-someone-put-there-in-clear");
        userGet(host(KEYS));
        assertEquals(3, gettoken(), "a clear value is not trusted when keys are configured");
        storedValues().forEach(v -> assertTrue(v.startsWith("v1:k1:")));
    }

    @Test
    void withoutKeysTokensAreStoredInClearAsTheReadmeSays() throws Exception {
        ConnectorHost plain = host(null);
        userGet(plain);
        List<String> values = storedValues();
        assertFalse(values.isEmpty());
        values.forEach(v -> assertFalse(v.startsWith("v1:")));
    }
}
