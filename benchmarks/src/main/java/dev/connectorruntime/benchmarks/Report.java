package dev.connectorruntime.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Turns the measured results into BENCHMARKS.md and the throughput plot; every number comes from the results. */
final class Report {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String[] CLIENTS = {"ours", "floor", "peer"};
    static final Map<String, String> CLIENT_NAMES = Map.of(
            "ours", "ours: ConnectorHost.execute(\"user_get\")",
            "floor", "floor: Apache HttpClient 5 + Jackson",
            "peer", "peer: WxJava getUserService().getById()",
            "ours-shipped", "ours with the default limits",
            "api", "api: runtime-host serve, POST /api/actions/user_get/execute");
    static final Map<String, String> PAYLOADS = Map.of(
            "small_user_get", "small: `user_get` `{\"userid\": \"zhangsan\"}`",
            "medium_user_create", "medium: `user_create` with `extattr` (3 attributes) and `external_profile`",
            "large_message_send_template_card", "large: `message_send` `template_card` (news_notice, every list filled)",
            "large_tag_addtagusers_1000", "large: `tag_addtagusers` with 1,000 userids");

    private Report() {}

    /** Medians of the measured windows of one client at one concurrency. */
    record Load(String client, int concurrency, int windows, double ops, double opsMin, double opsMax, double p50, double p99,
                double cpu, double alloc, long errors) {}

    static Map<String, Load> loads(JsonNode load) {
        Map<String, List<JsonNode>> by = new LinkedHashMap<>();
        for (JsonNode w : load.path("windows")) {
            by.computeIfAbsent(w.path("client").asText() + "@" + w.path("concurrency").asInt(), k -> new ArrayList<>()).add(w);
        }
        Map<String, Load> out = new LinkedHashMap<>();
        by.forEach((key, ws) -> {
            List<Double> ops = values(ws, "opsPerSecond");
            long errors = ws.stream().mapToLong(w -> w.path("errors").asLong()).sum();
            out.put(key, new Load(ws.get(0).path("client").asText(), ws.get(0).path("concurrency").asInt(), ws.size(),
                    Stats.median(ops), Stats.min(ops), Stats.max(ops), Stats.median(values(ws, "p50Micros")),
                    Stats.median(values(ws, "p99Micros")), Stats.median(values(ws, "cpuMicrosPerCall")),
                    Stats.median(values(ws, "allocatedBytesPerCall")), errors));
        });
        return out;
    }

    private static List<Double> values(List<JsonNode> nodes, String field) {
        List<Double> list = new ArrayList<>();
        nodes.forEach(n -> list.add(n.path(field).asDouble(Double.NaN)));
        return list;
    }

    private static List<Double> values(JsonNode array, String field) {
        List<Double> list = new ArrayList<>();
        array.forEach(n -> list.add(n.path(field).asDouble(Double.NaN)));
        return list;
    }

    /**
     * {@code a}'s ops/s over {@code b}'s, round by round (both measured in the same round, minutes
     * apart at most, so a change in the machine's background load hits both): the per-round ratios.
     */
    static List<Double> pairedRatios(JsonNode load, String a, String b, int concurrency) {
        Map<Integer, Double> as = new LinkedHashMap<>();
        Map<Integer, Double> bs = new LinkedHashMap<>();
        for (JsonNode w : load.path("windows")) {
            if (w.path("concurrency").asInt() != concurrency || w.path("round").asInt() == 0) {
                continue;
            }
            if (w.path("client").asText().equals(a)) {
                as.put(w.path("round").asInt(), w.path("opsPerSecond").asDouble());
            } else if (w.path("client").asText().equals(b)) {
                bs.put(w.path("round").asInt(), w.path("opsPerSecond").asDouble());
            }
        }
        List<Double> ratios = new ArrayList<>();
        as.forEach((round, value) -> {
            Double other = bs.get(round);
            if (other != null && other > 0) {
                ratios.add(value / other);
            }
        });
        return ratios;
    }

    /**
     * Where the CPU of a call goes, process by process, for in-process calls and for calls through the HTTP
     * API, and what the API's share of in-process throughput would be if its server cost no more than the
     * in-process call: on one machine, throughput is bounded by the CPU all processes spend per call.
     */
    static void appendCpuByProcess(StringBuilder md, JsonNode load, Map<String, Load> loads) {
        int top = concurrencies(loads).isEmpty() ? 64 : concurrencies(loads).last();
        List<JsonNode> ours = windowsOf(load, "ours", top);
        List<JsonNode> api = windowsOf(load, "api", top);
        if (ours.isEmpty() || api.isEmpty() || Double.isNaN(Stats.median(values(api, "serverCpuMicrosPerCall")))) {
            return;
        }
        double oursClient = Stats.median(values(ours, "cpuMicrosPerCall"));
        double oursStub = Stats.median(values(ours, "stubCpuMicrosPerCall"));
        double apiClient = Stats.median(values(api, "cpuMicrosPerCall"));
        double apiServer = Stats.median(values(api, "serverCpuMicrosPerCall"));
        double apiStub = Stats.median(values(api, "stubCpuMicrosPerCall"));
        double bound = apiBound(load, top);
        md.append("\nCPU per call by process at concurrency ").append(top)
                .append(" (medians over the rounds; every thread of each JVM, JIT and GC included):\n\n")
                .append("| path | load JVM | `serve` | stub | all |\n|---|---:|---:|---:|---:|\n")
                .append("| in-process (ours) | ").append(f1(oursClient)).append(" | – | ").append(f1(oursStub)).append(" | ")
                .append(f1(oursClient + oursStub)).append(" |\n")
                .append("| HTTP API | ").append(f1(apiClient)).append(" | ").append(f1(apiServer)).append(" | ").append(f1(apiStub))
                .append(" | ").append(f1(apiClient + apiServer + apiStub)).append(" |\n\n")
                .append("Through the API, the load JVM only sends requests and `serve` does what the in-process call does plus its own HTTP ")
                .append("exchange with the caller. Even if `serve` cost no more than the in-process call (").append(f1(oursClient))
                .append(" µs), the API's calls would cost ").append(f1(apiClient + oursClient + apiStub)).append(" µs of this machine's CPU against ")
                .append(f1(oursClient + oursStub)).append(" µs in-process: **").append(pct(bound))
                .append("** of in-process throughput at most, with no server overhead at all.\n\n");
    }

    /** The API's share of in-process throughput if {@code serve} cost no more CPU per call than the in-process call. */
    static double apiBound(JsonNode load, int concurrency) {
        List<JsonNode> ours = windowsOf(load, "ours", concurrency);
        List<JsonNode> api = windowsOf(load, "api", concurrency);
        double oursClient = Stats.median(values(ours, "cpuMicrosPerCall"));
        double oursStub = Stats.median(values(ours, "stubCpuMicrosPerCall"));
        return (oursClient + oursStub) / (Stats.median(values(api, "cpuMicrosPerCall")) + oursClient
                + Stats.median(values(api, "stubCpuMicrosPerCall")));
    }

    private static List<JsonNode> windowsOf(JsonNode load, String client, int concurrency) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode w : load.path("windows")) {
            if (w.path("client").asText().equals(client) && w.path("concurrency").asInt() == concurrency && w.path("round").asInt() > 0) {
                out.add(w);
            }
        }
        return out;
    }

    static TreeSet<Integer> concurrencies(Map<String, Load> loads) {
        TreeSet<Integer> set = new TreeSet<>();
        loads.values().stream().filter(l -> !l.client().equals("ours-shipped")).forEach(l -> set.add(l.concurrency()));
        return set;
    }

    /** The headline figures, flat, for the targets and for comparing one run with the previous. */
    static void addFigures(ObjectNode results) {
        ObjectNode f = results.putObject("figures");
        for (JsonNode r : results.path("jmh").path("results")) {
            String name = r.path("benchmark").asText().startsWith("ExecuteInProcess") ? "overhead.execute_in_process"
                    : "overhead." + r.path("payload").asText();
            figure(f, name, r.path("median").asDouble(), "us", "lower");
        }
        Map<String, Load> loads = loads(results.path("load"));
        for (Load l : loads.values()) {
            String key = "load." + l.client() + ".c" + l.concurrency();
            figure(f, key + ".ops", l.ops(), "ops/s", "higher");
            figure(f, key + ".p50", l.p50(), "us", "lower");
            figure(f, key + ".p99", l.p99(), "us", "lower");
            figure(f, key + ".cpu", l.cpu(), "us CPU/call", "lower");
        }
        for (int c : concurrencies(loads)) {
            Load ours = loads.get("ours@" + c);
            Load floor = loads.get("floor@" + c);
            Load peer = loads.get("peer@" + c);
            if (ours != null && floor != null) {
                figure(f, "load.c" + c + ".ours_over_floor", Stats.median(pairedRatios(results.path("load"), "ours", "floor", c)), "x", "higher");
            }
            if (ours != null && peer != null) {
                figure(f, "load.c" + c + ".ours_over_peer", Stats.median(pairedRatios(results.path("load"), "ours", "peer", c)), "x", "higher");
            }
            if (ours != null && loads.get("api@" + c) != null) {
                figure(f, "load.c" + c + ".api_over_ours", Stats.median(pairedRatios(results.path("load"), "api", "ours", c)), "x", "higher");
                figure(f, "load.c" + c + ".api_bound", apiBound(results.path("load"), c), "x", "higher");
                figure(f, "load.c" + c + ".api_server_cpu", Stats.median(values(windowsOf(results.path("load"), "api", c),
                        "serverCpuMicrosPerCall")), "us CPU/call", "lower");
            }
        }
        JsonNode s = results.path("startup");
        figure(f, "startup.launcher_first_line", Stats.median(values(s.path("launcher"), "firstLineMs")), "ms", "lower");
        figure(f, "startup.launcher_exit", Stats.median(values(s.path("launcher"), "exitMs")), "ms", "lower");
        figure(f, "startup.jvm_ready", Stats.median(values(s.path("probe"), "jvmUptimeAtReadyMs")), "ms", "lower");
        figure(f, "startup.plugin_load", Stats.median(values(s.path("probe"), "pluginLoadMs")), "ms", "lower");
        figure(f, "startup.schema_compile", Stats.median(values(s.path("probe"), "schemaCompileMs")), "ms", "lower");
        figure(f, "serve.ready", Stats.median(values(s.path("serve"), "readyMs")), "ms", "lower");
        figure(f, "serve.rss", Stats.median(values(s.path("serve"), "vmRssMiB")), "MiB", "lower");
        JsonNode storm = results.path("storm");
        figure(f, "storm.cold.gettoken", storm.path("cold").path("gettokenCalls").asDouble(), "calls", "lower");
        figure(f, "storm.revoked.gettoken", storm.path("revoked").path("gettokenCalls").asDouble(), "calls", "lower");
        figure(f, "storm.failed", storm.path("cold").path("failed").asDouble() + storm.path("revoked").path("failed").asDouble(), "calls", "lower");
        List<JsonNode> measured = new ArrayList<>();
        results.path("paging").path("runs").forEach(r -> {
            if (!r.path("warmUp").asBoolean()) {
                measured.add(r);
            }
        });
        figure(f, "paging.time", Stats.median(values(measured, "millis")), "ms", "lower");
        figure(f, "paging.peak_heap", Stats.max(values(measured, "peakHeapMiB")), "MiB", "lower");
        figure(f, "paging.peak_above_baseline", Stats.max(values(measured, "peakAboveBaselineMiB")), "MiB", "lower");
        figure(f, "paging.result_retained", Stats.median(values(measured, "resultRetainedMiB")), "MiB", "lower");
        tenantFigures(f, results.path("tenants"));
        JsonNode callbacks = results.path("callbacks");
        for (String store : new String[] {"embedded", "redis"}) {
            JsonNode c = callbacks.path(store);
            if (c.isMissingNode()) {
                continue;
            }
            figure(f, "callbacks." + store + ".per_second", c.path("acknowledge").path("perSecond").asDouble(), "callbacks/s", "higher");
            figure(f, "callbacks." + store + ".ack_p99", c.path("acknowledge").path("p99Ms").asDouble(), "ms", "lower");
            figure(f, "callbacks." + store + ".webhook_p50", c.path("webhook").path("p50Ms").asDouble(), "ms", "lower");
            figure(f, "callbacks." + store + ".webhook_p99", c.path("webhook").path("p99Ms").asDouble(), "ms", "lower");
        }
    }

    private static void tenantFigures(ObjectNode f, JsonNode t) {
        if (t.isMissingNode()) {
            return;
        }
        JsonNode many = t.path("many");
        figure(f, "tenants.add_seconds", many.path("addSeconds").asDouble(), "s", "lower");
        figure(f, "tenants.heap_per_tenant", many.path("heapPerTenantWithTokenBytes").asDouble(), "B", "lower");
        figure(f, "tenants.heap_left_after_removal", many.path("heapLeftPerTenantAfterRemovalBytes").asDouble(), "B", "lower");
        figure(f, "tenants.heap_left_second_cycle", many.path("heapLeftPerTenantSecondCycleBytes").asDouble(), "B", "lower");
        figure(f, "tenants.heap_per_replacement", many.path("heapPerReplacementBytes").asDouble(), "B", "lower");
        figure(f, "tenants.cached.c1", many.path("cachedCallsPerSecond").path("1").path("median").asDouble(), "calls/s", "higher");
        figure(f, "tenants.cached.c32", many.path("cachedCallsPerSecond").path("32").path("median").asDouble(), "calls/s", "higher");
        figure(f, "tenants.unknown_connection_message", many.path("unknownConnectionMessageChars").asDouble(), "chars", "lower");
        figure(f, "tenants.timeouts.fds", t.path("distinctTimeouts").path("openFileDescriptorsAdded").asDouble(), "fds", "lower");
        figure(f, "tenants.timeouts.first_calls", t.path("distinctTimeouts").path("firstCallsPerSecond").asDouble(), "calls/s", "higher");
        figure(f, "tenants.stored.adds", t.path("stored").path("addsPerSecond").asDouble(), "adds/s", "higher");
    }

    private static void figure(ObjectNode figures, String name, double value, String unit, String better) {
        figures.putObject(name).put("value", value).put("unit", unit).put("better", better);
    }

    private static double fig(JsonNode results, String name) {
        return results.path("figures").path(name).path("value").asDouble(Double.NaN);
    }

    // ------------------------------------------------------------------------------------------

    static void write(JsonNode results, JsonNode previous, Path out, Path plot) throws IOException {
        Map<String, Load> loads = loads(results.path("load"));
        plot(loads, plot);
        StringBuilder md = new StringBuilder();
        JsonNode m = results.path("machine");
        int limit = results.path("shippedActionRateLimitPerMinute").asInt(0);
        md.append("# Benchmarks\n\n");
        md.append("Written by `bench/run` from the figures it measured on ").append(results.path("date").asText())
                .append(", in ").append(duration(results.path("runSeconds").asDouble())).append(results.path("quick").asBoolean()
                        ? " (**quick run**: fewer and shorter windows; use the full run for figures to quote)" : "")
                .append(". Do not edit by hand: run `bench/run` again (see [How to reproduce](#how-to-reproduce)).\n\n");

        if (results.path("profiled").asBoolean()) {
            md.append("> **Profiled run:** JFR was recording the JMH and load JVMs (`bench/run --profile`), which costs some throughput; ")
                    .append("quote the figures of a run without `--profile`.\n\n");
        }
        md.append("| machine | |\n|---|---|\n");
        md.append("| CPU | ").append(m.path("nproc").asInt()).append(" × ").append(m.path("cpuModel").asText()).append(" (`nproc` = ")
                .append(m.path("nproc").asInt()).append(") |\n");
        md.append("| memory | ").append(m.path("memTotal").asText()).append(" |\n");
        md.append("| OS | ").append(m.path("os").asText()).append(" |\n");
        md.append("| JVM | ").append(m.path("jvm").asText()).append(" |\n");
        JsonNode others = m.path("othersPercentByPhase");
        StringBuilder byPhase = new StringBuilder();
        double worst = m.path("othersPercentAtStart").asDouble(0);
        for (Iterator<Map.Entry<String, JsonNode>> it = others.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            byPhase.append(byPhase.length() == 0 ? "" : ", ").append(e.getKey()).append(" ").append(f0(e.getValue().asDouble())).append(" %");
            worst = Math.max(worst, e.getValue().asDouble(0));
        }
        md.append("| CPU used by other processes | at the start ").append(f0(m.path("othersPercentAtStart").asDouble()))
                .append(" %; during each phase: ").append(byPhase).append(" (of all ").append(m.path("nproc").asInt()).append(" CPUs) |\n\n");
        if (worst > 10) {
            md.append("> **Note:** other processes were using the machine during this run (up to ").append(f0(worst))
                    .append(" % of its CPUs, see above): they take CPU from every client alike, lowering throughput and widening latency. ")
                    .append("Ratios between clients measured in the same rounds are the sturdier figures; for absolute ones, run again on a quiet machine.\n\n");
        }

        // ---- targets
        md.append("## Targets\n\n| target | measured | met |\n|---|---|---|\n");
        double small = fig(results, "overhead.small_user_get");
        target(md, "in-process overhead, small payload (`user_get`) < 20 µs per call", f2(small) + " µs", small < 20);
        int top = concurrencies(loads).isEmpty() ? 64 : concurrencies(loads).last();
        double overFloor = fig(results, "load.c" + top + ".ours_over_floor");
        double overPeer = fig(results, "load.c" + top + ".ours_over_peer");
        target(md, "throughput at concurrency " + top + " ≥ 90 % of the HttpClient floor", pct(overFloor) + " of the floor", overFloor >= 0.9);
        target(md, "throughput at concurrency " + top + " ahead of the WxJava peer", pct(overPeer) + " of the peer", overPeer > 1.0);
        double overApi = fig(results, "load.c" + top + ".api_over_ours");
        double apiBound = fig(results, "load.c" + top + ".api_bound");
        target(md, "the HTTP API (`serve`) at concurrency " + top + " ≥ 70 % of in-process throughput", pct(overApi) + " of in-process"
                + (Double.isNaN(apiBound) ? "" : " (at most " + pct(apiBound) + " on this machine if `serve` added no CPU at all: section 2)"),
                overApi >= 0.7);
        double firstLine = fig(results, "startup.launcher_first_line");
        target(md, "start-up < 1.5 s (launcher to first output line, median)", f0(firstLine) + " ms", firstLine < 1500);
        target(md, "`actions` < 400 ms to its first line (the CDS archive made at package time)", f0(firstLine) + " ms", firstLine < 400);
        double cold = fig(results, "storm.cold.gettoken");
        double revoked = fig(results, "storm.revoked.gettoken");
        double failed = fig(results, "storm.failed");
        target(md, "token storm: 1 gettoken for 500 cold callers, 1 more after a revocation, no failures",
                f0(cold) + " and " + f0(revoked) + " gettoken, " + f0(failed) + " failed", cold == 1 && revoked == 1 && failed == 0);
        double embeddedRate = fig(results, "callbacks.embedded.per_second");
        double embeddedAck = fig(results, "callbacks.embedded.ack_p99");
        if (!Double.isNaN(embeddedRate)) {
            int c = results.path("callbacks").path("concurrency").asInt();
            target(md, "trigger callbacks, embedded store, concurrency " + c + ": ≥ 2,000 acknowledged per second",
                    f0(embeddedRate) + " /s", embeddedRate >= 2000);
            target(md, "trigger callbacks, embedded store, concurrency " + c + ": p99 acknowledgement < 50 ms",
                    f1(embeddedAck) + " ms", embeddedAck < 50);
        }
        double perTenant = fig(results, "tenants.heap_per_tenant");
        if (!Double.isNaN(perTenant)) {
            double left = fig(results, "tenants.heap_left_after_removal");
            double again = fig(results, "tenants.heap_left_second_cycle");
            double fds = fig(results, "tenants.timeouts.fds");
            target(md, "50,000 tenants: heap per tenant with its token cached ≤ 2 KB", f0(perTenant) + " B", perTenant <= 2048);
            target(md, "50,000 tenants removed: all their state freed (50,000 more added, called and removed leave ≤ 1 % of a tenant's heap)",
                    f1(again) + " B per tenant (the first removal: " + f0(left) + " B, hash-table capacity)", again <= 0.01 * perTenant);
            target(md, "2,000 tenants with distinct connect timeouts share one pool (sockets ≤ the pool's 64)",
                    f0(fds) + " file descriptors opened", fds <= 64 + 8);
        }
        md.append('\n');

        // ---- 1. JMH
        md.append("## 1. Overhead per call, in process (JMH)\n\n");
        md.append("What the runtime itself does to a call, without any network: `InputParser.parse` (the caller's JSON bytes), ")
                .append("`InputValidator.validate` (the action's input schema, compiled once at start-up) and `RequestBinder.bind` ")
                .append("(query string or JSON body), the host's own classes on a `ConnectorHost` built as usual. Descriptors and schemas come from the ")
                .append("packaged plugin zip, loaded by PF4J as the host loads them. Nothing is subtracted. The last row is the whole ")
                .append("`ConnectorHost.execute(\"user_get\")` (rate-limit checks, token cache, classification of a canned answer, metrics, call log) ")
                .append("on a host given a `Transport` that answers at once (`ConnectorHost.builder().transport(...)`): everything but the HTTP ")
                .append("client and the socket.\n\n");
        JsonNode anyJmh = results.path("jmh").path("results").path(0);
        md.append("JMH 1.37, average time, 1 fork, ").append(anyJmh.path("iterations").size()).append(" measured iterations of 1 s after warm-up; ")
                .append("the median of the iterations, the mean ± JMH's 99.9 % error, and the bytes allocated per call (`-prof gc`).\n\n");
        md.append("| payload | input bytes | median µs/call | mean ± error µs | allocated B/call |\n|---|---:|---:|---:|---:|\n");
        for (JsonNode r : results.path("jmh").path("results")) {
            boolean exec = r.path("benchmark").asText().startsWith("ExecuteInProcess");
            md.append("| ").append(exec ? "whole executor, `user_get`, instant in-process transport" : PAYLOADS.getOrDefault(r.path("payload").asText(), r.path("payload").asText()))
                    .append(" | ").append(exec ? "–" : f0(r.path("inputBytes").asDouble()))
                    .append(" | **").append(f2(r.path("median").asDouble())).append("** | ")
                    .append(f2(r.path("mean").asDouble())).append(" ± ").append(f2(r.path("error").asDouble()))
                    .append(" | ").append(f0(r.path("allocatedBytesPerOp").asDouble())).append(" |\n");
        }
        md.append('\n');

        // ---- 2. Load
        md.append("## 2. Throughput and latency of `user_get` against an instant loopback stub\n\n");
        md.append("A stub WeCom in its own JVM (JDK `HttpServer`, TCP_NODELAY, 16 threads) answers `gettoken` and `/cgi-bin/user/get` at once with fixed JSON. ")
                .append("Three clients call it from one JVM (`-Xms1g -Xmx1g`), closed loop: each of *c* threads calls again as soon as its call returns. ")
                .append("All three have an HTTP connection pool of 64 (total and per route):\n\n");
        md.append("- **ours**: `ConnectorHost.builder().maxConnections(64)`, the connection with `\"rateLimitPerSecond\": 0, \"actionRateLimitPerMinute\": 0` (both client-side limits off), `execute(\"user_get\", {\"userid\": \"zhangsan\"})`, log level `warn` as `runtime-host serve` runs;\n");
        md.append("- **floor**: plain Apache HttpClient 5 (same version and pool as ours) sending the identical GET with the token, the answer parsed with Jackson and `errcode` checked; no validation;\n");
        md.append("- **peer**: WxJava `weixin-java-cp` ").append("4.7.7 `WxCpServiceImpl.getUserService().getById(\"zhangsan\")`, base URL set to the stub, its Apache HttpClient 4 pool raised from 10 per route / 50 in all to ")
                .append(results.path("load").path("peerPool").asText("64")).append(" (`DefaultApacheHttpClientBuilder.setMaxConnPerHost/setMaxTotalConn`).\n\n");
        md.append("**The client-side limits.** By default a connection allows 200 calls/s, and each action ").append(f0(limit / 60.0))
                .append(" calls/s (the catalog's `actionRateLimitPerMinute` ").append(limit)
                .append(", WeCom's documented limit per API), so the connection of \"ours\" turns both off ")
                .append("(`rateLimitPerSecond` 0, `actionRateLimitPerMinute` 0); the line after the tables shows the defaults at work.\n\n");
        int windows = loads.values().stream().filter(l -> l.client().equals("ours")).mapToInt(Load::windows).max().orElse(1);
        JsonNode lr = results.path("load");
        md.append("Each client first runs one-second windows at concurrency 16 until the mean of the last three is within 3 % of the three before (at least ")
                .append(f1(2 * lr.path("warmupMs").asDouble() / 1000)).append(" s, and 40 s for `serve`, which compiles for tens of seconds with plateaus on the way; at most 60 s); then, per concurrency, each warms up ")
                .append(f1(lr.path("warmupMs").asDouble() / 1000)).append(" s and is measured in ").append(windows).append(" window(s) of ")
                .append(f1(lr.path("measureMs").asDouble() / 1000)).append(" s, in an order rotating by round; each figure is the median over the windows ")
                .append("(ops/s: calls completed per second; p50/p99: call latency; CPU: CPU time of the client JVM, all threads, per call; ")
                .append("allocated: bytes allocated by the calling threads per call).\n\n");
        md.append("| c | client | ops/s | (min – max) | p50 µs | p99 µs | client CPU µs/call | allocated B/call |\n|---:|---|---:|---:|---:|---:|---:|---:|\n");
        for (int c : concurrencies(loads)) {
            for (String client : CLIENTS) {
                Load l = loads.get(client + "@" + c);
                if (l == null) {
                    continue;
                }
                md.append("| ").append(c).append(" | ").append(client).append(" | **").append(f0(l.ops())).append("** | ")
                        .append(f0(l.opsMin())).append(" – ").append(f0(l.opsMax())).append(" | ").append(f0(l.p50())).append(" | ")
                        .append(f0(l.p99())).append(" | ").append(f1(l.cpu())).append(" | ").append(f0(l.alloc()))
                        .append(l.errors() > 0 ? " (" + l.errors() + " errors)" : "").append(" |\n");
            }
        }
        md.append("\nRatios of ops/s are taken round by round (clients measured in the same round) and their median is shown, with the range over rounds:\n\n");
        md.append("| c | ours / floor (ops/s) | ours / peer (ops/s) | ours p99 / floor p99 | ours CPU − floor CPU (µs/call) |\n|---:|---:|---:|---:|---:|\n");
        for (int c : concurrencies(loads)) {
            Load ours = loads.get("ours@" + c);
            Load floor = loads.get("floor@" + c);
            Load peer = loads.get("peer@" + c);
            if (ours == null || floor == null || peer == null) {
                continue;
            }
            List<Double> overFloorRounds = pairedRatios(results.path("load"), "ours", "floor", c);
            List<Double> overPeerRounds = pairedRatios(results.path("load"), "ours", "peer", c);
            md.append("| ").append(c).append(" | **").append(pct(Stats.median(overFloorRounds))).append("** (")
                    .append(pct(Stats.min(overFloorRounds))).append(" – ").append(pct(Stats.max(overFloorRounds))).append(") | **")
                    .append(pct(Stats.median(overPeerRounds))).append("** (").append(pct(Stats.min(overPeerRounds))).append(" – ")
                    .append(pct(Stats.max(overPeerRounds))).append(") | ").append(f2(ours.p99() / floor.p99())).append(" | ")
                    .append(f1(ours.cpu() - floor.cpu())).append(" |\n");
        }
        appendCpuByProcess(md, results.path("load"), loads);
        Load shipped = loads.values().stream().filter(l -> l.client().equals("ours-shipped")).findFirst().orElse(null);
        if (shipped != null) {
            md.append("\nWith the connection's default limits (per action ").append(f0(limit / 60.0)).append(" calls/s, per connection 200/s), concurrency ")
                    .append(shipped.concurrency()).append(": **").append(f0(shipped.ops())).append(" ops/s**, p50 ")
                    .append(f0(shipped.p50() / 1000)).append(" ms, p99 ").append(f0(shipped.p99() / 1000))
                    .append(" ms: callers queue for the limiter, as designed for the real WeCom, so the runtime's own cost cannot be seen through it.\n");
        }
        Path relPlot = out.toAbsolutePath().getParent().relativize(plot.toAbsolutePath());
        md.append("\n![user_get throughput against concurrency](").append(relPlot.toString().replace('\\', '/')).append(")\n\n");
        md.append("On this machine the clients and the stub share the same ").append(m.path("nproc").asInt())
                .append(" cores, so throughput is bounded by CPU: every microsecond of client CPU per call is taken from the stub too. ")
                .append("The client CPU column is the cost that does not depend on the stub.\n\n");

        JsonNode spots = results.path("load").path("hotspots").path("ours");
        if (!spots.isMissingNode()) {
            md.append("**Hot methods of ours** (JFR CPU samples of ours' load threads, all concurrencies, `bench/run --profile`; ")
                    .append(spots.path("samples").asInt()).append(" samples; inclusive = on the stack, self = at the top). ")
                    .append("The floor's and the peer's are in `benchmarks/target/profile/`.\n\n");
            md.append("| inclusive % | self % | method |\n|---:|---:|---|\n");
            int shown = 0;
            for (JsonNode e : spots.path("inclusive")) {
                String method = e.path("method").asText();
                if (method.startsWith("java.lang.Thread.") || method.contains("benchmarks.LoadPhase") || method.contains("LoadClient")) {
                    continue;
                }
                md.append("| ").append(f1(e.path("inclusivePercent").asDouble())).append(" | ").append(f1(e.path("selfPercent").asDouble()))
                        .append(" | `").append(method).append("` |\n");
                if (++shown == 40) {
                    break;
                }
            }
            md.append('\n');
        }

        // ---- 3. start-up
        JsonNode s = results.path("startup");
        md.append("## 3. Start-up and memory\n\n");
        md.append("| what | median | min – max | runs |\n|---|---:|---:|---:|\n");
        row(md, "`bin/runtime-host actions`: process start → first output line", s.path("launcher"), "firstLineMs", "ms");
        row(md, "`bin/runtime-host actions`: process start → exit", s.path("launcher"), "exitMs", "ms");
        row(md, "inside: JVM start → host ready (probe JVM with the launcher's flags and class path)", s.path("probe"), "jvmUptimeAtReadyMs", "ms");
        row(md, "inside: plugin load (`startupTimings().pluginLoad()`)", s.path("probe"), "pluginLoadMs", "ms");
        row(md, "inside: schema compile (`startupTimings().schemaCompile()`)", s.path("probe"), "schemaCompileMs", "ms");
        row(md, "`runtime-host serve --sandbox --port 0`: start → \"Serving\" line", s.path("serve"), "readyMs", "ms");
        row(md, "`serve --sandbox`: resident memory 1 s after ready (VmRSS)", s.path("serve"), "vmRssMiB", "MiB");
        row(md, "`serve --sandbox`: peak resident memory (VmHWM)", s.path("serve"), "vmHwmMiB", "MiB");
        md.append("\nThe launcher runs `java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto`; one launch before the timed ones is not counted ")
                .append("(PF4J unpacks the plugin zip on the first start after a build). The probe loads ")
                .append(s.path("probe").path(0).path("actions").asInt()).append(" actions.\n\n");

        // ---- 4. storm
        JsonNode storm = results.path("storm");
        md.append("## 4. Token storm\n\n");
        md.append(storm.path("callers").asInt()).append(" threads call `user_get` at the same instant on one host with a cold token cache, against the WeCom sandbox ")
                .append("(whose `gettoken` is made to take ").append(storm.path("gettokenLatencyMs").asInt())
                .append(" ms, like a real one over the internet, widening the window for duplicate fetches); then the sandbox revokes every token ")
                .append("(`POST /sandbox/tokens/revoke`) and as many call again: each is rejected with 40014, invalidates the token it used, and resends once. ")
                .append("gettoken calls are counted by the sandbox (`GET /sandbox/stats`).\n\n");
        md.append("| phase | callers | gettoken calls | failed calls | wall time ms |\n|---|---:|---:|---:|---:|\n");
        for (String phase : new String[] {"cold", "revoked"}) {
            JsonNode p = storm.path(phase);
            md.append("| ").append(p.path("name").asText()).append(" | ").append(p.path("calls").asInt()).append(" | **")
                    .append(p.path("gettokenCalls").asLong()).append("** | ").append(p.path("failed").asInt()).append(" | ")
                    .append(f0(p.path("wallMillis").asDouble())).append(" |\n");
        }
        md.append("\nuser/get requests the sandbox received in all: ").append(storm.path("userGetRequests").asLong())
                .append(" (the second storm's rejected calls were each resent once).\n\n");
        JsonNode three = storm.path("threeHosts");
        if (three.has("cold")) {
            md.append("The same storms spread over **three hosts** (separate `ConnectorHost` instances, each with its own HTTP client and cache) ")
                    .append("sharing tokens on one local `redis-server` (`ConnectorHost.builder().redis(...)`):\n\n");
            md.append("| phase | callers | gettoken calls | failed calls | wall time ms |\n|---|---:|---:|---:|---:|\n");
            for (String phase : new String[] {"cold", "revoked"}) {
                JsonNode p = three.path(phase);
                md.append("| ").append(p.path("name").asText()).append(" | ").append(p.path("calls").asInt()).append(" | **")
                        .append(p.path("gettokenCalls").asLong()).append("** | ").append(p.path("failed").asInt()).append(" | ")
                        .append(f0(p.path("wallMillis").asDouble())).append(" |\n");
            }
            md.append("\n");
        } else if (three.has("skipped")) {
            md.append("Three hosts on Redis: skipped (").append(three.path("skipped").asText()).append(").\n\n");
        }

        // ---- 5. paging
        JsonNode paging = results.path("paging");
        md.append("## 5. Paging\n\n");
        md.append("The sandbox generates ").append(String.format(Locale.ROOT, "%,d", paging.path("groupchats").asInt()))
                .append(" customer group chats (`POST /sandbox/generate {\"groupchats\": n}`; it then holds ")
                .append(String.format(Locale.ROOT, "%,d", paging.path("sandboxGroupChats").asInt()))
                .append(" with the seeded one); `externalcontact_groupchat_list` with `limit` ").append(paging.path("limit").asInt())
                .append(" and `ExecuteOptions.DEFAULTS.withPages(Pages.all(100000, 1000))` follows every cursor page and merges the items. ")
                .append("The connection's client-side limits are off (with WeCom's 10,000 calls per minute per API, 31 pages take at least 180 ms by design). ")
                .append("Host and sandbox share one JVM (`-Xmx512m`); heap is sampled every millisecond and read before each GC; ")
                .append("the baseline is the heap after a full GC before the call (host, sandbox and its chats), ")
                .append("and \"result retained\" is the heap the merged result still holds after a full GC.\n\n");
        md.append("| run | items | pages | time ms | peak heap MiB | peak above baseline MiB | result retained MiB |\n|---|---:|---:|---:|---:|---:|---:|\n");
        for (JsonNode r : paging.path("runs")) {
            md.append("| ").append(r.path("warmUp").asBoolean() ? "warm-up (cold JIT)" : "measured").append(" | ")
                    .append(r.path("items").asInt()).append(" | ").append(r.path("pages").asLong()).append(" | ")
                    .append(f0(r.path("millis").asDouble())).append(" | ").append(f1(r.path("peakHeapMiB").asDouble())).append(" | ")
                    .append(f1(r.path("peakAboveBaselineMiB").asDouble())).append(" | ").append(f1(r.path("resultRetainedMiB").asDouble())).append(" |\n");
        }
        md.append("\nMedian of the measured runs: **").append(f0(fig(results, "paging.time"))).append(" ms**, peak heap **")
                .append(f1(fig(results, "paging.peak_heap"))).append(" MiB** (")
                .append(f1(fig(results, "paging.peak_above_baseline"))).append(" MiB above the baseline).\n\n");

        // ---- 6. callbacks
        JsonNode callbacks = results.path("callbacks");
        if (callbacks.has("embedded")) {
            md.append("## 6. Trigger callbacks\n\n");
            md.append("One host serves its HTTP API (`ApiServer`, as `runtime-host serve` does) with one connection whose `contact` callback has a Token ")
                    .append("and EncodingAESKey. The client, in the same JVM, sends what WeCom sends for `change_contact / create_user`: the XML sealed with ")
                    .append("AES-256-CBC (32-byte PKCS#7, random | length | XML | corp id), the envelope POSTed to `/callbacks/bench/contact` with ")
                    .append("`msg_signature`, `timestamp` and `nonce`, each callback a different member (sealed before the run). Each one is verified (SHA-1 signature), ")
                    .append("decrypted, matched to its trigger, converted to JSON by the trigger's schema, deduplicated, stored, and only then acknowledged ")
                    .append("with `success`. Closed loop: ").append(callbacks.path("concurrency").asInt())
                    .append(" threads each post the next callback when the last was acknowledged; ")
                    .append(f1(callbacks.path("warmupMs").asDouble() / 1000)).append(" s warm-up, then ").append(callbacks.path("rounds").asInt())
                    .append(" window(s) of ").append(f1(callbacks.path("measureMs").asDouble() / 1000)).append(" s; the median of the windows. ")
                    .append("No subscription is active during this part.\n\n")
                    .append("*Embedded*: the H2 file in a fresh data directory (commits reach the file before they return; concurrent callbacks share one commit). ")
                    .append("*Redis*: a local `redis-server` with `--appendonly yes --appendfsync everysec`; events, dedup keys (`SET NX`) and the stream entry in one script.\n\n");
            md.append("| store | callbacks acknowledged /s | p50 ms | p99 ms | posted | failed |\n|---|---:|---:|---:|---:|---:|\n");
            for (String store : new String[] {"embedded", "redis"}) {
                JsonNode a = callbacks.path(store).path("acknowledge");
                if (a.isMissingNode()) {
                    continue;
                }
                boolean exhausted = a.path("exhausted").asBoolean();
                md.append("| ").append(store).append(" | **").append(exhausted ? "≥ " : "").append(f0(a.path("perSecond").asDouble())).append("** | ")
                        .append(f1(a.path("p50Ms").asDouble())).append(" | **").append(f1(a.path("p99Ms").asDouble())).append("** | ")
                        .append(a.path("posted").asLong()).append(exhausted ? " (all that were sealed)" : "").append(" | ")
                        .append(a.path("failed").asLong()).append(" |\n");
            }
            md.append("\nCallbacks are sealed before the run; ≥ marks a store that acknowledged all of them before the last window ended, so its rate is at least the one shown.\n");
            md.append("\nThen a webhook subscription (`change_contact_create_user`, a receiver on loopback answering 204) and ")
                    .append(callbacks.path("webhookEvents").asInt()).append(" callbacks sent at ").append(callbacks.path("webhookRate").asInt())
                    .append(" per second: the time from starting to send a callback until the receiver has its signed delivery.\n\n");
            md.append("| store | callback → webhook p50 ms | p99 ms | max ms | delivered |\n|---|---:|---:|---:|---:|\n");
            for (String store : new String[] {"embedded", "redis"}) {
                JsonNode w = callbacks.path(store).path("webhook");
                if (w.isMissingNode()) {
                    continue;
                }
                md.append("| ").append(store).append(" | **").append(f1(w.path("p50Ms").asDouble())).append("** | **")
                        .append(f1(w.path("p99Ms").asDouble())).append("** | ").append(f1(w.path("maxMs").asDouble())).append(" | ")
                        .append(w.path("delivered").asInt()).append(" of ").append(w.path("sent").asInt()).append(" |\n");
            }
            md.append('\n');
        } else if (callbacks.has("redisSkipped")) {
            md.append("Callbacks on Redis: skipped (").append(callbacks.path("redisSkipped").asText()).append(").\n\n");
        }

        // ---- 7. tenants
        JsonNode tenants = results.path("tenants");
        if (!tenants.isMissingNode()) {
            JsonNode many = tenants.path("many");
            md.append("## 7. Many tenants in one host\n\n");
            md.append("Measured ").append(tenants.path("date").asText()).append(" in its own JVM (`-Xms2g -Xmx2g`) through the Java API against the ")
                    .append("loopback stub of section 2 (in the same JVM; it accepts any corp and secret). Each tenant has its own corp id and `app` secret, ")
                    .append("so its own access token (one `gettoken` each), and both client-side limits off. Heap is the lowest of three readings, each after ")
                    .append("a full collection, against the reading before the tenants were added (one warm tenant stays throughout, and 32 threads ")
                    .append("called it first, so the pooled connections they use are there before). What a removal leaves is mostly hash-table ")
                    .append("capacity (maps do not shrink; the next tenants reuse it: the churn test `TenantChurnIT` adds and removes 10,000 tenants ten times ")
                    .append("and the heap does not grow).\n\n");
            md.append("| | |\n|---|---:|\n");
            md.append("| tenants | ").append(f0(tenants.path("tenants").asDouble())).append(" |\n");
            md.append("| time to add them all (`addConnection`, in memory) | **").append(f2(many.path("addSeconds").asDouble())).append(" s** (")
                    .append(f0(many.path("addsPerSecond").asDouble())).append(" per second) |\n");
            md.append("| heap per tenant, added | ").append(f0(many.path("heapPerTenantAddedBytes").asDouble())).append(" B |\n");
            md.append("| heap per tenant, after one call (its token cached) | **").append(f0(many.path("heapPerTenantWithTokenBytes").asDouble())).append(" B** |\n");
            md.append("| first calls (one `gettoken` each) | ").append(f0(many.path("firstCallsPerSecond").asDouble())).append(" per second, ")
                    .append(many.path("gettokenCalls").asLong()).append(" gettoken |\n");
            JsonNode cached = many.path("cachedCallsPerSecond");
            md.append("| calls per second, tokens cached, 1 thread | **").append(f0(cached.path("1").path("median").asDouble())).append("** (")
                    .append(f0(cached.path("1").path("min").asDouble())).append(" – ").append(f0(cached.path("1").path("max").asDouble())).append(") |\n");
            md.append("| calls per second, tokens cached, 32 threads | **").append(f0(cached.path("32").path("median").asDouble())).append("** (")
                    .append(f0(cached.path("32").path("min").asDouble())).append(" – ").append(f0(cached.path("32").path("max").asDouble())).append(") |\n");
            md.append("| gettoken during those calls | ").append(many.path("gettokenCallsAfterLoad").asLong() - many.path("gettokenCalls").asLong()).append(" |\n");
            md.append("| 10,000 replaced (new corp and secret, one call each): heap per replacement | ")
                    .append(f0(many.path("heapPerReplacementBytes").asDouble())).append(" B |\n");
            md.append("| all removed: time | ").append(f2(many.path("removeSeconds").asDouble())).append(" s |\n");
            md.append("| all removed: heap left per tenant | **").append(f0(many.path("heapLeftPerTenantAfterRemovalBytes").asDouble())).append(" B** |\n");
            md.append("| 50,000 more added, called once and removed: heap left per tenant, against after the first removal | **")
                    .append(f1(many.path("heapLeftPerTenantSecondCycleBytes").asDouble())).append(" B** |\n");
            md.append("| unknown-connection error, length | ").append(f0(many.path("unknownConnectionMessageChars").asDouble()))
                    .append(" characters (it names only the connection asked for) |\n");
            JsonNode t = tenants.path("distinctTimeouts");
            md.append("| ").append(f0(t.path("tenants").asDouble())).append(" tenants, each its own `connectTimeoutMs`, added and called once: ")
                    .append("file descriptors opened | **").append(f0(t.path("openFileDescriptorsAdded").asDouble())).append("** (one pool of 64) |\n");
            md.append("| — first calls per second | ").append(f0(t.path("firstCallsPerSecond").asDouble())).append(" |\n");
            md.append("| — heap per tenant | ").append(f0(t.path("heapPerTenantBytes").asDouble())).append(" B |\n");
            JsonNode stored = tenants.path("stored");
            md.append("| ").append(f0(stored.path("tenants").asDouble())).append(" added through the embedded store (checked, secrets sealed with AES-GCM, ")
                    .append("committed to the H2 file before returning) | ").append(f0(stored.path("addsPerSecond").asDouble())).append(" per second |\n\n");
            md.append("Before this work the same measurement gave: replacing a tenant left about 900 B behind for good, 2,000 distinct connect timeouts ")
                    .append("held 2,000 pools (+2,200 file descriptors, 99 KB of heap each, 12 first calls per second on this machine), and the ")
                    .append("unknown-connection error listed every name (688,950 characters at 50,000 tenants).\n\n");
        }

        // ---- before / after
        if (previous != null && previous.has("figures")) {
            md.append("## Compared with the previous run\n\n");
            md.append("Previous run: ").append(previous.path("date").asText()).append(" (`bench/results-previous.json`).\n\n");
            md.append("| figure | previous | now | change |\n|---|---:|---:|---:|\n");
            Iterator<Map.Entry<String, JsonNode>> it = results.path("figures").fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode before = previous.path("figures").path(e.getKey());
                if (before.isMissingNode() || e.getKey().endsWith(".p50") || e.getKey().contains(".c16.")) {
                    continue;
                }
                double now = e.getValue().path("value").asDouble();
                double then = before.path("value").asDouble();
                String unit = e.getValue().path("unit").asText();
                md.append("| ").append(e.getKey()).append(" (").append(unit).append(") | ").append(num(then)).append(" | ")
                        .append(num(now)).append(" | ").append(then == 0 ? "–" : String.format(Locale.ROOT, "%+.0f %%", 100 * (now - then) / then))
                        .append(" |\n");
            }
            md.append('\n');
        }

        // ---- how
        md.append("## How to reproduce\n\n");
        md.append("```bash\nbench/run            # builds the project (tests skipped), runs everything, rewrites BENCHMARKS.md, bench/throughput.png, bench/results.json\n")
                .append("bench/run --quick    # a shorter smoke run (fewer, shorter windows); its figures are marked as quick\n")
                .append("bench/run --profile  # the same, with JFR recordings of the JMH and load JVMs and their hot methods in benchmarks/target/profile/\n```\n\n");
        md.append("Needs Java 17 and the network once for Maven to fetch JMH, WxJava and XChart. The benchmarks module (`benchmarks/`) compiles in the ")
                .append("normal build but has no tests: `./mvnw verify` and `.ci/run` never run a benchmark. Each phase runs in its own JVM: JMH forks its own; ")
                .append("the load test, the token storm, the paging run and the callback run are forked by `dev.connectorruntime.benchmarks.Suite`, the stub is a separate process; ")
                .append("start-up is timed on the real launcher. The previous run's results are kept in `bench/results-previous.json` for the comparison above.\n");

        Files.writeString(out, md.toString(), StandardCharsets.UTF_8);
    }

    private static void target(StringBuilder md, String what, String measured, boolean met) {
        md.append("| ").append(what).append(" | ").append(measured).append(" | ").append(met ? "yes" : "**no**").append(" |\n");
    }

    private static void row(StringBuilder md, String what, JsonNode runs, String field, String unit) {
        List<Double> v = values(runs, field);
        String d = unit.equals("MiB") ? "%.1f" : "%.0f";
        md.append("| ").append(what).append(" | **").append(String.format(Locale.ROOT, d, Stats.median(v))).append(" ").append(unit)
                .append("** | ").append(String.format(Locale.ROOT, d, Stats.min(v))).append(" – ").append(String.format(Locale.ROOT, d, Stats.max(v)))
                .append(" | ").append(v.size()).append(" |\n");
    }

    static void plot(Map<String, Load> loads, Path file) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(560)
                .title("user_get against an instant loopback stub: throughput vs concurrency (closed loop, pool 64)")
                .xAxisTitle("concurrent callers").yAxisTitle("calls per second (median)").build();
        Styler styler = chart.getStyler();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setMarkerSize(9);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setDecimalPattern("#,###");
        styler.setChartTitleFont(styler.getChartTitleFont().deriveFont(14f));
        Color[] colors = {new Color(0xD62728), new Color(0x1F77B4), new Color(0x2CA02C)};
        int i = 0;
        for (String client : CLIENTS) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int c : concurrencies(loads)) {
                Load l = loads.get(client + "@" + c);
                if (l != null) {
                    xs.add((double) c);
                    ys.add(l.ops());
                }
            }
            if (xs.isEmpty()) {
                continue;
            }
            XYSeries series = chart.addSeries(CLIENT_NAMES.get(client), xs, ys);
            series.setMarker(SeriesMarkers.CIRCLE);
            series.setLineColor(colors[i % colors.length]);
            series.setMarkerColor(colors[i % colors.length]);
            series.setLineStyle(new BasicStroke(2.5f));
            i++;
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 60 ? (s / 60) + " min " + (s % 60) + " s" : s + " s";
    }

    private static String num(double v) {
        return Math.abs(v) >= 100 ? f0(v) : Math.abs(v) >= 10 ? f1(v) : f2(v);
    }

    static String f0(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%,.0f", v);
    }

    static String f1(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.1f", v);
    }

    static String f2(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.2f", v);
    }

    static String pct(double ratio) {
        return Double.isNaN(ratio) ? "–" : String.format(Locale.ROOT, "%.0f %%", 100 * ratio);
    }
}
