package dev.connectorruntime.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Throughput and latency of user_get at several concurrencies, for each client against the same
 * instant stub, closed loop: each of {@code c} threads calls again as soon as its call returns.
 * Runs in its own JVM (forked by {@link Suite}); writes its results as JSON.
 */
public final class LoadPhase {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One measured window of one client at one concurrency. */
    record Window(String client, int concurrency, int round, long calls, long errors, double seconds, double opsPerSecond,
                  double p50Micros, double p99Micros, double cpuMicrosPerCall, double allocatedBytesPerCall,
                  double serverCpuMicrosPerCall, double stubCpuMicrosPerCall, String firstError) {}

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = Args.parse(args);
        URI stub = URI.create(opts.get("stub"));
        int pool = Integer.parseInt(opts.getOrDefault("pool", "64"));
        int[] concurrencies = Arrays.stream(opts.getOrDefault("concurrency", "1,16,64").split(",")).mapToInt(Integer::parseInt).toArray();
        long warmupMs = Long.parseLong(opts.getOrDefault("warmup-ms", "2000"));
        long measureMs = Long.parseLong(opts.getOrDefault("measure-ms", "3000"));
        int rounds = Integer.parseInt(opts.getOrDefault("rounds", "3"));
        int shippedConcurrency = Integer.parseInt(opts.getOrDefault("shipped-concurrency", "64"));
        stubPid = opts.containsKey("stub-pid") ? Long.parseLong(opts.get("stub-pid")) : -1;

        ObjectNode out = JSON.createObjectNode();
        out.put("pool", pool).put("warmupMs", warmupMs).put("measureMs", measureMs).put("rounds", rounds);
        ArrayNode windows = out.putArray("windows");
        List<String> wanted = List.of(opts.getOrDefault("clients", "floor,ours,peer").split(","));
        List<LoadClient> clients = new ArrayList<>();
        if (wanted.contains("floor")) {
            clients.add(new LoadClient.Floor(stub, pool));
        }
        if (wanted.contains("ours")) {
            clients.add(new LoadClient.Ours("ours", Path.of(opts.get("plugins")), stub, pool, true));
        }
        if (wanted.contains("api")) {
            clients.add(new LoadClient.Api(Path.of(opts.get("dist")), Path.of(opts.get("plugins")), stub, pool));
        }
        if (wanted.contains("peer")) {
            LoadClient.Peer peer = new LoadClient.Peer(stub, pool);
            clients.add(peer);
            out.put("peerPool", peer.poolDescription());
        }
        try (LoadClient shipped = new LoadClient.Ours("ours-shipped", Path.of(opts.get("plugins")), stub, pool, false)) {
            for (LoadClient client : clients) {
                warmUntilSteady(client, 2 * warmupMs);
            }
            for (int c : concurrencies) {
                for (LoadClient client : clients) {
                    log("warm-up " + client.id() + " c=" + c);
                    run(client, c, warmupMs);
                }
                for (int round = 0; round < rounds; round++) {
                    for (int i = 0; i < clients.size(); i++) {
                        LoadClient client = clients.get((i + round) % clients.size()); // rotate the order each round
                        Window w = run(client, c, round + 1, measureMs);
                        log(String.format("round %d %-6s c=%-3d %9.0f ops/s p50 %7.0f us p99 %7.0f us cpu %5.1f us/call"
                                        + " (server %5.1f, stub %5.1f) alloc %6.0f B/call errors %d",
                                round + 1, client.id(), c, w.opsPerSecond(), w.p50Micros(), w.p99Micros(),
                                w.cpuMicrosPerCall(), w.serverCpuMicrosPerCall(), w.stubCpuMicrosPerCall(),
                                w.allocatedBytesPerCall(), w.errors()));
                        windows.add(JSON.valueToTree(w));
                    }
                }
            }
            if (shippedConcurrency > 0) {
                log("warm-up ours-shipped c=" + shippedConcurrency);
                run(shipped, shippedConcurrency, Math.min(warmupMs, 1000));
                Window w = run(shipped, shippedConcurrency, measureMs);
                log(String.format("as shipped c=%d %9.0f ops/s p50 %7.0f us p99 %7.0f us", shippedConcurrency, w.opsPerSecond(), w.p50Micros(), w.p99Micros()));
                windows.add(JSON.valueToTree(w));
            }
        } finally {
            clients.forEach(LoadClient::close);
        }
        Files.write(Path.of(opts.get("out")), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(out));
        System.exit(0); // WxJava's idle-connection monitor thread is not a daemon
    }

    private static long stubPid = -1;

    /**
     * Runs one-second windows at concurrency 16 until the mean of the last three is within 3 % of the mean
     * of the three before (after at least {@code minMillis}, and 40 s for a client with a server process of
     * its own; at most a minute): a server JVM compiles for tens of seconds on 2 shared cores before its
     * throughput settles, with plateaus on the way, so a short fixed warm-up measured it still compiling.
     */
    static void warmUntilSteady(LoadClient client, long minMillis) throws Exception {
        if (client.serverPid().isPresent()) {
            minMillis = Math.max(minMillis, 40_000);
        }
        long start = System.nanoTime();
        List<Double> rates = new ArrayList<>();
        while (true) {
            rates.add(run(client, 16, 1000).opsPerSecond());
            long elapsed = (System.nanoTime() - start) / 1_000_000;
            int n = rates.size();
            boolean steady = n >= 6 && Math.abs(mean(rates.subList(n - 3, n)) - mean(rates.subList(n - 6, n - 3)))
                    <= 0.03 * mean(rates.subList(n - 6, n - 3));
            if ((steady && elapsed >= minMillis) || elapsed >= 60_000) {
                log(String.format("JIT warm-up %s c=16: %d s, %s (last %.0f ops/s)", client.id(), elapsed / 1000,
                        steady ? "steady" : "stopped at the bound", rates.get(n - 1)));
                return;
            }
        }
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** CPU time (ns) used so far by another process, or -1 when it cannot be read. */
    static long cpuNanos(long pid) {
        if (pid <= 0) {
            return -1;
        }
        return ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration()).map(java.time.Duration::toNanos).orElse(-1L);
    }

    /** {@code concurrency} threads call for {@code millis}; latencies of every call completed in the window. */
    static Window run(LoadClient client, int concurrency, long millis) throws Exception {
        return run(client, concurrency, 0, millis);
    }

    /** {@code concurrency} threads call for {@code millis}; latencies of every call completed in the window. */
    static Window run(LoadClient client, int concurrency, int round, long millis) throws Exception {
        CyclicBarrier start = new CyclicBarrier(concurrency + 1);
        long[][] latencies = new long[concurrency][];
        int[] counts = new int[concurrency];
        long[] errors = new long[concurrency];
        long[] endedAt = new long[concurrency];
        long[] allocated = new long[concurrency];
        AtomicReference<String> firstError = new AtomicReference<>();
        long[] startedAt = new long[1];
        Thread[] threads = new Thread[concurrency];
        for (int t = 0; t < concurrency; t++) {
            int me = t;
            threads[t] = new Thread(() -> {
                long[] mine = new long[4096];
                int n = 0;
                long failed = 0;
                try {
                    start.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                long end = startedAt[0] + millis * 1_000_000L;
                long allocatedBefore = THREADS.getCurrentThreadAllocatedBytes();
                long now = System.nanoTime();
                while (now < end) {
                    long before = now;
                    try {
                        client.call();
                    } catch (Exception | Error e) {
                        failed++;
                        firstError.compareAndSet(null, e.toString());
                    }
                    now = System.nanoTime();
                    if (n == mine.length) {
                        mine = Arrays.copyOf(mine, n * 2);
                    }
                    mine[n++] = now - before;
                }
                allocated[me] = THREADS.getCurrentThreadAllocatedBytes() - allocatedBefore;
                latencies[me] = mine;
                counts[me] = n;
                errors[me] = failed;
                endedAt[me] = now;
            }, "load-" + client.id() + "#" + t);
            threads[t].start();
        }
        startedAt[0] = System.nanoTime();
        long serverPid = client.serverPid().orElse(-1);
        long cpuBefore = OS.getProcessCpuTime();
        long serverBefore = cpuNanos(serverPid);
        long stubBefore = cpuNanos(stubPid);
        start.await();
        for (Thread thread : threads) {
            thread.join();
        }
        long cpu = OS.getProcessCpuTime() - cpuBefore;
        long serverCpu = serverBefore < 0 ? -1 : cpuNanos(serverPid) - serverBefore;
        long stubCpu = stubBefore < 0 ? -1 : cpuNanos(stubPid) - stubBefore;
        long total = 0;
        long failed = 0;
        long lastEnd = startedAt[0];
        long bytes = 0;
        for (int t = 0; t < concurrency; t++) {
            bytes += allocated[t];
            total += counts[t];
            failed += errors[t];
            lastEnd = Math.max(lastEnd, endedAt[t]);
        }
        long[] all = new long[(int) total];
        int at = 0;
        for (int t = 0; t < concurrency; t++) {
            System.arraycopy(latencies[t], 0, all, at, counts[t]);
            at += counts[t];
        }
        Arrays.sort(all);
        double seconds = (lastEnd - startedAt[0]) / 1e9;
        return new Window(client.id(), concurrency, round, total, failed, seconds, (total - failed) / seconds,
                percentile(all, 0.50) / 1e3, percentile(all, 0.99) / 1e3, cpu / 1e3 / Math.max(1, total),
                (double) bytes / Math.max(1, total), serverCpu < 0 ? Double.NaN : serverCpu / 1e3 / Math.max(1, total),
                stubCpu < 0 ? Double.NaN : stubCpu / 1e3 / Math.max(1, total), firstError.get());
    }

    static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    static void log(String line) {
        System.err.println("[load] " + line);
    }
}
