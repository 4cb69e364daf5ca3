package dev.connectorruntime.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connectorruntime.host.ConnectorHost;
import dev.connectorruntime.host.ExecuteOptions;
import dev.connectorruntime.host.auth.SealingKeys;
import dev.connectorruntime.spi.ExecutionResult;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many tenants in one host, through the Java API against the loopback stub (in this JVM): the time to
 * add N connections, the heap each one holds (added; with its token cached) and what removing them
 * gives back, calls per second on cached tokens at 1 and 32 threads spread over all tenants, and
 * 2,000 tenants with distinct connect timeouts (open file descriptors, first calls per second).
 * Runs in its own JVM; writes JSON.
 */
public final class TenantsPhase {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = Args.parse(args);
        int tenants = Integer.parseInt(opts.getOrDefault("tenants", "50000"));
        int timeoutTenants = Integer.parseInt(opts.getOrDefault("timeout-tenants", "2000"));
        long measureMs = Long.parseLong(opts.getOrDefault("measure-ms", "3000"));
        int rounds = Integer.parseInt(opts.getOrDefault("rounds", "3"));
        Path plugins = Path.of(opts.get("plugins"));
        ObjectNode out = JSON.createObjectNode();
        out.put("tenants", tenants).put("maxHeapBytes", Runtime.getRuntime().maxMemory());
        try (StubServer stub = StubServer.start(16)) {
            try (ConnectorHost host = ConnectorHost.builder().pluginsDir(Plugins.copy(plugins)).maxConnections(64).build()) {
                many(host, stub, tenants, measureMs, rounds, out.putObject("many"));
            }
            try (ConnectorHost host = ConnectorHost.builder().pluginsDir(Plugins.copy(plugins)).maxConnections(64).build()) {
                distinctTimeouts(host, stub, timeoutTenants, out.putObject("distinctTimeouts"));
            }
            Path data = Files.createTempDirectory("bench-tenants-data");
            try (ConnectorHost host = ConnectorHost.builder().pluginsDir(Plugins.copy(plugins)).dataDir(data)
                    .persistConnections(true).secretKeys(SealingKeys.newKeyEntry("bench")).build()) {
                stored(host, stub, Integer.parseInt(opts.getOrDefault("stored-tenants", "5000")), out.putObject("stored"));
            } finally {
                Plugins.deleteQuietly(data);
            }
        }
        Files.write(Path.of(opts.get("out")), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(out));
    }

    static ObjectNode tenant(StubServer stub, int i) {
        return JSON.createObjectNode().put("name", "tenant-" + i).put("corpId", String.format("ww%016d", i))
                .put("agentId", 1000002).put("baseUrl", stub.baseUrl().toString())
                .put("rateLimitPerSecond", 0).put("actionRateLimitPerMinute", 0)
                .set("secrets", JSON.createObjectNode().put("app", "secret-of-tenant-" + i + "-0123456789abcdef"));
    }

    private static void many(ConnectorHost host, StubServer stub, int tenants, long measureMs, int rounds, ObjectNode out) throws Exception {
        ObjectNode input = JSON.createObjectNode().put("userid", "zhangsan");
        // warm the executor on one tenant that stays, so JIT and class loading are not counted per tenant
        host.addConnection(tenant(stub, -1));
        check(host.execute("user_get", input, ExecuteOptions.DEFAULTS.withConnection("tenant--1")));
        // and open the connections 32 threads use (pooled, with their buffers, on both sides): not per tenant
        warm(host, 32, "tenant--1");
        long heapBefore = usedHeapAfterGc();
        long start = System.nanoTime();
        for (int i = 0; i < tenants; i++) {
            host.addConnection(tenant(stub, i));
        }
        double addSeconds = (System.nanoTime() - start) / 1e9;
        long heapAdded = usedHeapAfterGc();
        long gettokenBefore = stub.gettokenCalls();
        start = System.nanoTime();
        for (int i = 0; i < tenants; i++) {
            check(host.execute("user_get", input, ExecuteOptions.DEFAULTS.withConnection("tenant-" + i)));
        }
        double firstCallsSeconds = (System.nanoTime() - start) / 1e9;
        long gettoken = stub.gettokenCalls() - gettokenBefore;
        long heapCalled = usedHeapAfterGc();
        out.put("addSeconds", addSeconds).put("addsPerSecond", tenants / addSeconds)
                .put("heapPerTenantAddedBytes", (heapAdded - heapBefore) / (double) tenants)
                .put("heapPerTenantWithTokenBytes", (heapCalled - heapBefore) / (double) tenants)
                .put("firstCallsPerSecond", tenants / firstCallsSeconds).put("gettokenCalls", gettoken);
        System.err.printf("[tenants] added %,d in %.2f s; heap per tenant %.0f B added, %.0f B with its token; %,d gettoken%n",
                tenants, addSeconds, (heapAdded - heapBefore) / (double) tenants, (heapCalled - heapBefore) / (double) tenants, gettoken);

        ObjectNode cached = out.putObject("cachedCallsPerSecond");
        for (int threads : new int[] {1, 32}) {
            List<Double> windows = new ArrayList<>();
            callsPerSecond(host, tenants, threads, 1000); // warm-up
            for (int r = 0; r < rounds; r++) {
                windows.add(callsPerSecond(host, tenants, threads, measureMs));
            }
            cached.putObject(Integer.toString(threads)).put("median", Stats.median(windows))
                    .put("min", Stats.min(windows)).put("max", Stats.max(windows));
            System.err.printf("[tenants] %d thread(s), cached tokens: %,.0f calls/s (median of %d)%n", threads, Stats.median(windows), rounds);
        }
        out.put("gettokenCallsAfterLoad", stub.gettokenCalls() - gettokenBefore);

        String unknown = unknownConnectionMessage(host);
        out.put("unknownConnectionMessageChars", unknown.length());
        System.err.printf("[tenants] unknown-connection error: %,d characters%n", unknown.length());

        long heapBeforeReplace = usedHeapAfterGc();
        int replaced = Math.min(tenants, 10_000);
        for (int i = 0; i < replaced; i++) {
            ObjectNode next = tenant(stub, i).put("corpId", String.format("wx%016d", i));
            ((ObjectNode) next.get("secrets")).put("app", "rotated-secret-of-tenant-" + i);
            host.addConnection(next);
            check(host.execute("user_get", input, ExecuteOptions.DEFAULTS.withConnection("tenant-" + i)));
        }
        long heapReplaced = usedHeapAfterGc();
        out.put("heapPerReplacementBytes", (heapReplaced - heapBeforeReplace) / (double) replaced);
        System.err.printf("[tenants] replaced %,d (new corp and secret, one call each): %+.0f B per replacement%n",
                replaced, (heapReplaced - heapBeforeReplace) / (double) replaced);

        start = System.nanoTime();
        for (int i = 0; i < tenants; i++) {
            host.removeConnection("tenant-" + i);
        }
        double removeSeconds = (System.nanoTime() - start) / 1e9;
        long heapRemoved = usedHeapAfterGc();
        out.put("removeSeconds", removeSeconds).put("heapLeftPerTenantAfterRemovalBytes", (heapRemoved - heapBefore) / (double) tenants)
                .put("heapBeforeBytes", heapBefore).put("heapAfterRemovalBytes", heapRemoved);
        System.err.printf("[tenants] removed %,d in %.2f s; heap %+.0f B per tenant against before adding them (%,d -> %,d B)%n",
                tenants, removeSeconds, (heapRemoved - heapBefore) / (double) tenants, heapBefore, heapRemoved);

        // the same again: what the first removal left (hash-table capacity) is reused, nothing more stays
        for (int i = 0; i < tenants; i++) {
            host.addConnection(tenant(stub, tenants + i));
            check(host.execute("user_get", input, ExecuteOptions.DEFAULTS.withConnection("tenant-" + (tenants + i))));
        }
        for (int i = 0; i < tenants; i++) {
            host.removeConnection("tenant-" + (tenants + i));
        }
        long heapAgain = usedHeapAfterGc();
        out.put("heapLeftPerTenantSecondCycleBytes", (heapAgain - heapRemoved) / (double) tenants);
        System.err.printf("[tenants] %,d more added, called and removed: heap %+.1f B per tenant against after the first removal%n",
                tenants, (heapAgain - heapRemoved) / (double) tenants);
    }

    /** Adds through the store: each connection checked, its secrets sealed, written to the H2 file before the call returns. */
    private static void stored(ConnectorHost host, StubServer stub, int tenants, ObjectNode out) throws Exception {
        long start = System.nanoTime();
        for (int i = 0; i < tenants; i++) {
            host.addConnection(tenant(stub, i));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        out.put("tenants", tenants).put("addSeconds", seconds).put("addsPerSecond", tenants / seconds);
        System.err.printf("[tenants] %,d added through the embedded store (sealed, committed to the file): %.2f s, %,.0f per second%n",
                tenants, seconds, tenants / seconds);
    }

    private static void warm(ConnectorHost host, int threads, String connection) throws InterruptedException {
        ObjectNode input = JSON.createObjectNode().put("userid", "zhangsan");
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(new Thread(() -> {
                for (int i = 0; i < 300; i++) {
                    check(host.execute("user_get", input, ExecuteOptions.DEFAULTS.withConnection(connection)));
                }
            }));
        }
        workers.forEach(Thread::start);
        for (Thread w : workers) {
            w.join();
        }
    }

    private static String unknownConnectionMessage(ConnectorHost host) {
        ExecutionResult result = host.execute("user_get", JSON.createObjectNode().put("userid", "x"),
                ExecuteOptions.DEFAULTS.withConnection("no-such-tenant"));
        return result instanceof ExecutionResult.Failure failure ? failure.error().message() : "";
    }

    /** Calls per second over {@code millis}, each thread walking all tenants from its own offset. */
    private static double callsPerSecond(ConnectorHost host, int tenants, int threads, long millis) throws InterruptedException {
        ObjectNode input = JSON.createObjectNode().put("userid", "zhangsan");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong calls = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int offset = t * (tenants / threads);
            workers.add(new Thread(() -> {
                long n = 0;
                for (int i = offset; !stop.get(); i = (i + 1) % tenants) {
                    if (host.execute("user_get", input, ExecuteOptions.DEFAULTS.withConnection("tenant-" + i)) instanceof ExecutionResult.Failure) {
                        failures.incrementAndGet();
                    }
                    n++;
                }
                calls.addAndGet(n);
            }, "tenants-" + t));
        }
        long start = System.nanoTime();
        workers.forEach(Thread::start);
        Thread.sleep(millis);
        stop.set(true);
        for (Thread w : workers) {
            w.join();
        }
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " calls failed");
        }
        return calls.get() / ((System.nanoTime() - start) / 1e9);
    }

    private static void distinctTimeouts(ConnectorHost host, StubServer stub, int tenants, ObjectNode out) throws Exception {
        ObjectNode input = JSON.createObjectNode().put("userid", "zhangsan");
        long fdsBefore = openFileDescriptors();
        long heapBefore = usedHeapAfterGc();
        long start = System.nanoTime();
        for (int i = 0; i < tenants; i++) {
            host.addConnection(tenant(stub, i).put("connectTimeoutMs", 1000 + i));
            check(host.execute("user_get", input, ExecuteOptions.DEFAULTS.withConnection("tenant-" + i)));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long fds = openFileDescriptors() - fdsBefore;
        long heap = usedHeapAfterGc() - heapBefore;
        out.put("tenants", tenants).put("firstCallsPerSecond", tenants / seconds).put("openFileDescriptorsAdded", fds)
                .put("heapPerTenantBytes", heap / (double) tenants);
        System.err.printf("[tenants] %,d tenants with distinct connect timeouts: %,.0f first calls/s, %+d open file descriptors, %.0f B heap each%n",
                tenants, tenants / seconds, fds, heap / (double) tenants);
    }

    private static void check(ExecutionResult result) {
        if (result instanceof ExecutionResult.Failure failure) {
            throw new IllegalStateException(failure.error().code() + ": " + failure.error().message());
        }
    }

    static long openFileDescriptors() {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (Exception e) {
            return -1;
        }
    }

    /** Heap in use after full collections: the lowest of three readings, each after a System.gc(). */
    static long usedHeapAfterGc() throws InterruptedException {
        long lowest = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
            lowest = Math.min(lowest, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return lowest;
    }
}
