package dev.connectorruntime.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.management.GarbageCollectionNotificationInfo;
import dev.connectorruntime.host.ConnectorHost;
import dev.connectorruntime.host.ExecuteOptions;
import dev.connectorruntime.spi.ExecutionResult;
import dev.connectorruntime.spi.Sandbox;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Paging: the sandbox generates N customer group chats; {@code externalcontact_groupchat_list} with
 * {@code limit} per page follows every cursor page ({@code Pages.all}); time and heap. The heap is
 * watched by a sampler (every millisecond) and by GC notifications (the heap just before each
 * collection), whichever is higher. Runs in its own JVM; writes JSON.
 */
public final class PagingPhase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = Args.parse(args);
        int chats = Integer.parseInt(opts.getOrDefault("groupchats", "30000"));
        int limit = Integer.parseInt(opts.getOrDefault("limit", "1000"));
        int runs = Integer.parseInt(opts.getOrDefault("runs", "3"));
        ObjectNode out = JSON.createObjectNode();
        out.put("groupchats", chats).put("limit", limit).put("maxHeapMiB", Runtime.getRuntime().maxMemory() / 1048576.0);
        HeapWatch watch = new HeapWatch();
        try (ConnectorHost host = ConnectorHost.builder().pluginsDir(Path.of(opts.get("plugins"))).build();
             Sandbox.Instance sandbox = host.startSandbox("wecom")) {
            // client-side limits off: the time is the runtime's and the sandbox's, not WeCom's 10,000/min
            host.addConnection(sandbox.connection().put("rateLimitPerSecond", 0).put("actionRateLimitPerMinute", 0));
            SandboxAdminClient admin = new SandboxAdminClient(sandbox.baseUrl());
            int total = admin.call("POST", "/sandbox/generate", "{\"groupchats\": " + chats + "}").path("groupchats").asInt();
            out.put("sandboxGroupChats", total);
            ObjectNode input = JSON.createObjectNode().put("limit", limit);
            ExecuteOptions options = ExecuteOptions.DEFAULTS.withPages(ExecuteOptions.Pages.all(100_000, 1_000));
            ArrayNode results = out.putArray("runs");
            for (int run = 0; run <= runs; run++) { // run 0 warms up
                settle();
                long baseline = MEMORY.getHeapMemoryUsage().getUsed();
                long requestsBefore = admin.requests("/cgi-bin/externalcontact/groupchat/list");
                watch.start();
                long start = System.nanoTime();
                ExecutionResult executed = host.execute("externalcontact_groupchat_list", input, options);
                double millis = (System.nanoTime() - start) / 1e6;
                long peak = watch.stop();
                if (!(executed instanceof ExecutionResult.Success success)) {
                    throw new IllegalStateException("paging failed: " + executed);
                }
                JsonNode result = success.output();
                settle();
                long retained = MEMORY.getHeapMemoryUsage().getUsed() - baseline; // the merged result is still referenced below
                int items = result.path("group_chat_list").size();
                long pages = admin.requests("/cgi-bin/externalcontact/groupchat/list") - requestsBefore;
                ObjectNode r = results.addObject();
                r.put("warmUp", run == 0).put("millis", millis).put("items", items).put("pages", pages)
                        .put("peakHeapMiB", peak / 1048576.0).put("baselineHeapMiB", baseline / 1048576.0)
                        .put("peakAboveBaselineMiB", (peak - baseline) / 1048576.0)
                        .put("resultRetainedMiB", retained / 1048576.0)
                        .put("nextCursor", result.path("next_cursor").asText(""));
                System.err.printf("[paging] %s %d items in %d pages, %.0f ms, peak heap %.1f MiB (baseline %.1f), result retains %.1f MiB%n",
                        run == 0 ? "warm-up" : "run " + run, items, pages, millis, peak / 1048576.0, baseline / 1048576.0, retained / 1048576.0);
            }
        }
        Files.write(Path.of(opts.get("out")), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(out));
    }

    private static void settle() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
    }

    /** The highest heap use seen between start() and stop(): sampled, and just before each GC. */
    static final class HeapWatch {
        private final AtomicLong peak = new AtomicLong();
        private volatile boolean watching;
        private Thread sampler;

        HeapWatch() {
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((NotificationEmitter) gc).addNotificationListener((notification, handback) -> {
                    if (!watching || !GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                        return;
                    }
                    var info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                    long before = info.getGcInfo().getMemoryUsageBeforeGc().entrySet().stream()
                            .filter(e -> isHeap(e.getKey())).mapToLong(e -> e.getValue().getUsed()).sum();
                    peak.accumulateAndGet(before, Math::max);
                }, null, null);
            }
        }

        private static boolean isHeap(String pool) {
            return ManagementFactory.getMemoryPoolMXBeans().stream()
                    .anyMatch(p -> p.getName().equals(pool) && p.getType() == java.lang.management.MemoryType.HEAP);
        }

        void start() {
            peak.set(MEMORY.getHeapMemoryUsage().getUsed());
            watching = true;
            sampler = new Thread(() -> {
                while (watching) {
                    MemoryUsage heap = MEMORY.getHeapMemoryUsage();
                    peak.accumulateAndGet(heap.getUsed(), Math::max);
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-sampler");
            sampler.setDaemon(true);
            sampler.start();
        }

        long stop() throws InterruptedException {
            watching = false;
            sampler.join();
            peak.accumulateAndGet(MEMORY.getHeapMemoryUsage().getUsed(), Math::max);
            return peak.get();
        }
    }
}
