package dev.connectorruntime.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connectorruntime.spi.ExecutionResult;
import dev.connectorruntime.spi.Sandbox;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three hosts (separate host instances, each with its own HTTP client and cache) behind one load
 * balancer share tokens and rate limits on a real Redis: WeCom sees one gettoken per secret, one
 * refresh for all after a revocation, a coherent rate, and calls go on when Redis goes away.
 */
class SharedRedisIT {
    private static final String USER_GET = "{\"userid\": \"zhangsan\"}";
    private static final String CONTACT_READ = "{\"method\": \"GET\", \"path\": \"/cgi-bin/department/list\", \"credential\": \"contact\"}";
    private RedisServer redis;
    private Sandbox.Instance sandbox;
    private SandboxAdmin admin;
    private final List<ConnectorHost> hosts = new ArrayList<>();
    private final ExecutorService pool = Executors.newFixedThreadPool(64);

    @BeforeEach
    void start() throws Exception {
        redis = new RedisServer();
        for (int i = 0; i < 3; i++) {
            hosts.add(ConnectorHost.builder().pluginsDir(TestHost.freshPluginsDir()).retryPolicy(TestHost.FAST_RETRIES)
                    .redis(redis.url()).build());
        }
        sandbox = hosts.get(0).startSandbox("wecom");
        admin = new SandboxAdmin(sandbox);
        for (ConnectorHost host : hosts) {
            host.addConnection(sandbox.connection());
        }
    }

    @AfterEach
    void stop() throws Exception {
        pool.shutdownNow();
        sandbox.close();
        hosts.forEach(ConnectorHost::close);
        redis.close();
    }

    /** Runs {@code perHost} calls on each host at once; returns every result. */
    private List<ExecutionResult> burst(int perHost, String action, String input, ExecuteOptions options) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<ExecutionResult>> futures = new ArrayList<>();
        for (ConnectorHost host : hosts) {
            for (int i = 0; i < perHost; i++) {
                Callable<ExecutionResult> call = () -> {
                    go.await();
                    return host.execute(action, TestHost.json(input), options);
                };
                futures.add(pool.submit(call));
            }
        }
        go.countDown();
        List<ExecutionResult> results = new ArrayList<>();
        for (Future<ExecutionResult> future : futures) {
            results.add(future.get());
        }
        return results;
    }

    private static void assertAllSucceeded(List<ExecutionResult> results) {
        for (ExecutionResult result : results) {
            assertInstanceOf(ExecutionResult.Success.class, result, () -> result.toString());
        }
    }

    private long gettoken(String kind) {
        return admin.stats().path("gettoken").path(kind).asLong();
    }

    @Test
    void threeHostsOnAColdCacheCauseOneGettokenPerSecret() throws Exception {
        List<ExecutionResult> app = new ArrayList<>();
        Future<List<ExecutionResult>> appCalls = Executors.newSingleThreadExecutor().submit(() -> burst(50, "user_get", USER_GET, ExecuteOptions.DEFAULTS));
        List<ExecutionResult> contact = burst(50, "wecom_api_call", CONTACT_READ, ExecuteOptions.DEFAULTS);
        app.addAll(appCalls.get());
        assertAllSucceeded(app);
        assertAllSucceeded(contact);
        assertEquals(300, app.size() + contact.size());
        assertEquals(1, gettoken("app"), "one gettoken for the app secret across three hosts");
        assertEquals(1, gettoken("contact"), "one gettoken for the contact secret across three hosts");
    }

    @Test
    void aRevokedTokenSeenByOneHostIsRefreshedOnceForAll() throws Exception {
        assertAllSucceeded(burst(5, "user_get", USER_GET, ExecuteOptions.DEFAULTS));
        assertEquals(1, gettoken("app"));
        admin.call("POST", "/sandbox/tokens/revoke", "{}");
        assertAllSucceeded(burst(30, "user_get", USER_GET, ExecuteOptions.DEFAULTS));
        assertEquals(2, gettoken("app"), "one refresh for all three hosts");
    }

    @Test
    void callsGoOnWhenRedisStopsAndHostsShareAgainWhenItIsBack() throws Exception {
        assertAllSucceeded(burst(5, "user_get", USER_GET, ExecuteOptions.DEFAULTS));
        redis.stop();
        admin.call("POST", "/sandbox/tokens/revoke", "{}");
        assertAllSucceeded(burst(20, "user_get", USER_GET, ExecuteOptions.DEFAULTS));
        long duringOutage = gettoken("app");
        assertTrue(duringOutage >= 2 && duringOutage <= 4, "each host refreshed on its own: " + duringOutage);

        redis.start();
        Thread.sleep(1500); // past the back-off before hosts try Redis again
        admin.call("POST", "/sandbox/tokens/revoke", "{}");
        assertAllSucceeded(burst(20, "user_get", USER_GET, ExecuteOptions.DEFAULTS));
        assertAllSucceeded(burst(20, "user_get", USER_GET, ExecuteOptions.DEFAULTS));
        assertEquals(duringOutage + 1, gettoken("app"), "shared again: one refresh for all");
    }

    @Test
    void theRateLimitHoldsAcrossHostsAsMeasuredAtTheSandbox() throws Exception {
        ObjectNode limited = sandbox.connection();
        limited.put("name", "limited").put("rateLimitPerSecond", 10);
        for (ConnectorHost host : hosts) {
            host.addConnection(limited);
        }
        assertAllSucceeded(burst(1, "user_get", USER_GET, ExecuteOptions.DEFAULTS)); // a token in every host's cache
        admin.reset();
        assertAllSucceeded(burst(12, "user_get", USER_GET, ExecuteOptions.DEFAULTS.withConnection("limited")));
        List<Long> arrivals = new ArrayList<>();
        for (JsonNode request : admin.recentRequests()) {
            if (request.get("path").asText().equals("/cgi-bin/user/get")) {
                arrivals.add(request.get("at").asLong());
            }
        }
        assertEquals(36, arrivals.size());
        arrivals.sort(Long::compare);
        int busiestSecond = 0;
        for (int i = 0; i < arrivals.size(); i++) {
            int j = i;
            while (j < arrivals.size() && arrivals.get(j) - arrivals.get(i) < 1000) {
                j++;
            }
            busiestSecond = Math.max(busiestSecond, j - i);
        }
        long span = arrivals.get(arrivals.size() - 1) - arrivals.get(0);
        // 36 calls at 10/s shared take at least 3.5 s; three hosts limiting themselves alone would take ~1.2 s
        assertTrue(span >= 3000, "three hosts together kept about 10 calls/s; 36 calls arrived within " + span + " ms");
        // late wake-ups on a busy machine can bunch a few calls, never a host's worth of them
        assertTrue(busiestSecond <= 14, "busiest second at the sandbox: " + busiestSecond + " calls");
    }
}
