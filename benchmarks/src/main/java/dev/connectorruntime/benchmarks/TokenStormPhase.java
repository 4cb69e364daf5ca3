package dev.connectorruntime.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connectorruntime.host.ConnectorHost;
import dev.connectorruntime.spi.ExecutionResult;
import dev.connectorruntime.spi.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Token storm: N concurrent first calls on a cold token cache against the WeCom sandbox, then N more
 * after the sandbox revoked every token; counts the gettoken calls the sandbox answered for each.
 * Runs in its own JVM; writes JSON.
 */
public final class TokenStormPhase {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Storm(String name, int calls, int failed, long gettokenCalls, double wallMillis, String firstError) {}

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = Args.parse(args);
        int callers = Integer.parseInt(opts.getOrDefault("callers", "500"));
        long gettokenLatencyMs = Long.parseLong(opts.getOrDefault("gettoken-latency-ms", "50"));
        ObjectNode out = JSON.createObjectNode();
        out.put("callers", callers).put("gettokenLatencyMs", gettokenLatencyMs);
        try (ConnectorHost host = ConnectorHost.builder().pluginsDir(Path.of(opts.get("plugins"))).build();
             Sandbox.Instance sandbox = host.startSandbox("wecom")) {
            // both client-side limits off: all callers reach the token cache at once
            host.addConnection(sandbox.connection().put("rateLimitPerSecond", 0).put("actionRateLimitPerMinute", 0));
            SandboxAdminClient admin = new SandboxAdminClient(sandbox.baseUrl());
            // a real gettoken takes tens of ms over the internet: the sandbox is told to take as long,
            // which widens the window in which callers could each start their own
            admin.call("POST", "/sandbox/faults", "{\"path\": \"/cgi-bin/gettoken\", \"kind\": \"latency\", \"latencyMs\": "
                    + gettokenLatencyMs + "}");
            long before = admin.gettokenCalls();
            Storm cold = storm(host, "cold cache", callers, admin, before);
            admin.call("POST", "/sandbox/tokens/revoke", "{}");
            long afterCold = admin.gettokenCalls();
            Storm revoked = storm(host, "after POST /sandbox/tokens/revoke", callers, admin, afterCold);
            out.set("cold", JSON.valueToTree(cold));
            out.set("revoked", JSON.valueToTree(revoked));
            out.put("userGetRequests", admin.requests("/cgi-bin/user/get"));
        }
        out.set("threeHosts", threeHosts(opts, callers, gettokenLatencyMs));
        Files.write(Path.of(opts.get("out")), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(out));
    }

    /** The same storms spread over three hosts that share tokens on a real redis-server (skipped without one). */
    private static ObjectNode threeHosts(Map<String, String> opts, int callers, long gettokenLatencyMs) throws Exception {
        ObjectNode out = JSON.createObjectNode();
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path dir = Files.createTempDirectory("bench-redis");
        Process redis;
        try {
            redis = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "",
                    "--appendonly", "no", "--dir", dir.toString()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.log").toFile()).start();
        } catch (java.io.IOException e) {
            return out.put("skipped", "redis-server is not installed");
        }
        List<ConnectorHost> hosts = new ArrayList<>();
        try {
            Thread.sleep(500);
            for (int i = 0; i < 3; i++) {
                hosts.add(ConnectorHost.builder().pluginsDir(Plugins.copy(Path.of(opts.get("plugins"))))
                        .redis("redis://127.0.0.1:" + port).build());
            }
            try (Sandbox.Instance sandbox = hosts.get(0).startSandbox("wecom")) {
                for (ConnectorHost host : hosts) {
                    host.addConnection(sandbox.connection().put("rateLimitPerSecond", 0).put("actionRateLimitPerMinute", 0));
                }
                SandboxAdminClient admin = new SandboxAdminClient(sandbox.baseUrl());
                admin.call("POST", "/sandbox/faults", "{\"path\": \"/cgi-bin/gettoken\", \"kind\": \"latency\", \"latencyMs\": "
                        + gettokenLatencyMs + "}");
                out.set("cold", JSON.valueToTree(storm(hosts, "three hosts on Redis, cold cache", callers, admin, admin.gettokenCalls())));
                admin.call("POST", "/sandbox/tokens/revoke", "{}");
                out.set("revoked", JSON.valueToTree(storm(hosts, "three hosts on Redis, after revoke", callers, admin, admin.gettokenCalls())));
            }
        } finally {
            hosts.forEach(ConnectorHost::close);
            redis.destroy();
        }
        return out;
    }

    private static Storm storm(ConnectorHost host, String name, int callers, SandboxAdminClient admin, long gettokenBefore) throws Exception {
        return storm(List.of(host), name, callers, admin, gettokenBefore);
    }

    /** {@code callers} threads spread round-robin over {@code hosts}, released at once. */
    private static Storm storm(List<ConnectorHost> hosts, String name, int callers, SandboxAdminClient admin, long gettokenBefore) throws Exception {
        CountDownLatch ready = new CountDownLatch(callers);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(callers);
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<String> firstError = new AtomicReference<>();
        ObjectNode input = JSON.createObjectNode().put("userid", "zhangsan");
        for (int i = 0; i < callers; i++) {
            ConnectorHost host = hosts.get(i % hosts.size());
            Thread thread = new Thread(() -> {
                ready.countDown();
                try {
                    go.await();
                    ExecutionResult result = host.execute("user_get", input);
                    if (result instanceof ExecutionResult.Failure failure) {
                        failed.incrementAndGet();
                        firstError.compareAndSet(null, failure.error().code() + ": " + failure.error().message());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
            }, "storm-" + i);
            thread.start();
        }
        ready.await();
        long start = System.nanoTime();
        go.countDown();
        done.await();
        double wall = (System.nanoTime() - start) / 1e6;
        long gettoken = admin.gettokenCalls() - gettokenBefore;
        System.err.printf("[storm] %s: %d callers, %d failed, %d gettoken, %.0f ms%n", name, callers, failed.get(), gettoken, wall);
        return new Storm(name, callers, failed.get(), gettoken, wall, firstError.get());
    }
}
