package dev.connectorruntime.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs every benchmark of the project in one go and writes BENCHMARKS.md, the throughput plot and a
 * JSON file of the results (kept to compare the next run with). Started by {@code bench/run}.
 *
 * <pre>
 * Suite --dist runtime-host/target/dist --classes benchmarks/target/classes --out BENCHMARKS.md
 *       --plot bench/throughput.png --results bench/results.json [--quick] [--profile bench/profile]
 * </pre>
 */
public final class Suite {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Suite() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = Args.parse(args);
        Path dist = Path.of(opts.getOrDefault("dist", "runtime-host/target/dist")).toAbsolutePath();
        Path classes = Path.of(opts.getOrDefault("classes", "benchmarks/target/classes")).toAbsolutePath();
        Path out = Path.of(opts.getOrDefault("out", "BENCHMARKS.md"));
        Path plot = Path.of(opts.getOrDefault("plot", "bench/throughput.png"));
        Path resultsFile = Path.of(opts.getOrDefault("results", "bench/results.json"));
        boolean quick = opts.containsKey("quick");
        Path profileDir = opts.containsKey("profile") ? Path.of(opts.get("profile")).toAbsolutePath() : null;

        if (opts.containsKey("report-only")) {
            JsonNode results = JSON.readTree(resultsFile.toFile());
            JsonNode previous = Files.isRegularFile(Path.of(opts.get("report-only"))) ? JSON.readTree(Path.of(opts.get("report-only")).toFile()) : null;
            Report.write(results, previous, out, plot);
            return;
        }

        JsonNode previous = Files.isRegularFile(resultsFile) ? JSON.readTree(resultsFile.toFile()) : null;
        if ("tenants".equals(opts.get("only"))) {
            onlyTenants(dist, previous, resultsFile, out, plot);
            return;
        }
        long began = System.nanoTime();
        ObjectNode results = JSON.createObjectNode();
        results.put("date", OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        results.put("quick", quick);
        results.put("profiled", profileDir != null);
        ObjectNode machine = Machine.describe();
        machine.put("loadAverageBefore", Machine.loadAverage());
        results.set("machine", machine);
        Integer shippedLimit = Plugins.shippedActionRateLimitPerMinute(dist);
        results.put("shippedActionRateLimitPerMinute", shippedLimit);

        double quietBefore = Machine.waitForQuiet(10, quick ? 20 : 90);
        machine.put("othersPercentAtStart", quietBefore);
        ObjectNode others = machine.putObject("othersPercentByPhase");
        Path plugins = Plugins.asShipped(dist);
        Path work = Files.createTempDirectory("bench-work");
        try {
            phase("1/7 in-process overhead (JMH)");
            Machine.CpuSnapshot at = Machine.cpu();
            results.set("jmh", jmh(plugins, quick, profileDir));
            others.put("jmh", Machine.cpu().othersPercentSince(at));

            phase("2/7 throughput and latency against the loopback stub");
            at = Machine.cpu();
            results.set("load", load(dist, plugins, work, quick, profileDir));
            others.put("load", Machine.cpu().othersPercentSince(at));

            phase("3/7 start-up and resident memory");
            at = Machine.cpu();
            results.set("startup", StartupPhase.run(dist, classes, quick ? 3 : 7, quick ? 2 : 5, quick ? 1 : 3));
            others.put("startup", Machine.cpu().othersPercentSince(at));

            phase("4/7 token storm on the WeCom sandbox");
            at = Machine.cpu();
            results.set("storm", forkJson(TokenStormPhase.class, List.of("-Xms1g", "-Xmx1g"), work.resolve("storm.json"),
                    "--plugins", plugins.toString(), "--callers", "500"));
            others.put("storm", Machine.cpu().othersPercentSince(at));

            phase("5/7 paging 30,000 group chats from the WeCom sandbox");
            at = Machine.cpu();
            results.set("paging", forkJson(PagingPhase.class, List.of("-Xmx512m"), work.resolve("paging.json"),
                    "--plugins", plugins.toString(), "--groupchats", "30000", "--limit", "1000", "--runs", quick ? "1" : "3"));
            others.put("paging", Machine.cpu().othersPercentSince(at));

            phase("6/7 trigger callbacks: acknowledged per second, embedded and Redis; callback to webhook");
            at = Machine.cpu();
            results.set("callbacks", forkJson(CallbackPhase.class, List.of("-Xms1g", "-Xmx1g"), work.resolve("callbacks.json"),
                    "--plugins", plugins.toString(), "--concurrency", "16",
                    "--warmup-ms", quick ? "2000" : "4000", "--measure-ms", quick ? "2000" : "4000", "--rounds", quick ? "1" : "3",
                    "--webhook-events", quick ? "500" : "2000", "--webhook-rate", "200"));
            others.put("callbacks", Machine.cpu().othersPercentSince(at));

            phase("7/7 many tenants: 50,000 connections in one host; 2,000 with their own connect timeout");
            at = Machine.cpu();
            results.set("tenants", tenants(plugins, work, quick));
            others.put("tenants", Machine.cpu().othersPercentSince(at));
        } finally {
            Plugins.deleteQuietly(plugins);
            Plugins.deleteQuietly(work);
        }
        machine.put("loadAverageAfter", Machine.loadAverage());
        results.put("runSeconds", (System.nanoTime() - began) / 1e9);
        Report.addFigures(results);
        Files.createDirectories(resultsFile.toAbsolutePath().getParent());
        if (previous != null) {
            Files.write(resultsFile.resolveSibling("results-previous.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(previous));
        }
        Files.write(resultsFile, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(results));
        Report.write(results, previous, out, plot);
        System.err.printf("%nWrote %s, %s and %s in %.0f s%n", out, plot, resultsFile, results.path("runSeconds").asDouble());
    }

    static JsonNode tenants(Path plugins, Path work, boolean quick) throws IOException, InterruptedException {
        ObjectNode out = (ObjectNode) forkJson(TenantsPhase.class, List.of("-Xms2g", "-Xmx2g"), work.resolve("tenants.json"),
                "--plugins", plugins.toString(), "--tenants", "50000", "--timeout-tenants", "2000",
                "--measure-ms", quick ? "1000" : "3000", "--rounds", quick ? "1" : "3");
        return out.put("date", OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    }

    /** {@code --only tenants}: runs that phase alone and rewrites the report, the other figures kept from the last run. */
    private static void onlyTenants(Path dist, JsonNode previous, Path resultsFile, Path out, Path plot) throws Exception {
        ObjectNode results = previous == null ? JSON.createObjectNode() : (ObjectNode) previous.deepCopy();
        if (previous == null) {
            results.set("machine", Machine.describe());
        }
        Path plugins = Plugins.asShipped(dist);
        Path work = Files.createTempDirectory("bench-work");
        try {
            phase("many tenants only (the other figures are those of the last full run)");
            results.set("tenants", tenants(plugins, work, false));
        } finally {
            Plugins.deleteQuietly(plugins);
            Plugins.deleteQuietly(work);
        }
        Report.addFigures(results);
        Files.createDirectories(resultsFile.toAbsolutePath().getParent());
        Files.write(resultsFile, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(results));
        JsonNode before = Files.isRegularFile(resultsFile.resolveSibling("results-previous.json"))
                ? JSON.readTree(resultsFile.resolveSibling("results-previous.json").toFile()) : null;
        Report.write(results, before, out, plot);
        System.err.printf("%nWrote %s and %s%n", out, resultsFile);
    }

    private static void phase(String name) {
        System.err.println();
        System.err.println("== " + name);
    }

    // ---------------------------------------------------------------- JMH

    private static ObjectNode jmh(Path plugins, boolean quick, Path profileDir) throws Exception {
        List<String> jvm = new ArrayList<>(List.of("-Xms1g", "-Xmx1g", "-Dbench.plugins=" + plugins,
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include("dev\\.connectorruntime\\.benchmarks\\.(OverheadBenchmark|ExecuteInProcessBenchmark)\\.")
                .forks(1)
                .warmupIterations(quick ? 3 : 5).warmupTime(TimeValue.seconds(1))
                .measurementIterations(quick ? 2 : 5).measurementTime(TimeValue.seconds(1))
                .jvmArgsAppend(jvm.toArray(String[]::new))
                .addProfiler(GCProfiler.class)
                .verbosity(VerboseMode.SILENT);
        if (profileDir != null) {
            Files.createDirectories(profileDir.resolve("jmh"));
            options.jvmArgsAppend(append(jvm, "-XX:FlightRecorderOptions:stackdepth=256"))
                    .addProfiler("jfr", "dir=" + profileDir.resolve("jmh"));
        }
        System.err.println("(" + (quick ? "quick: 3 x 1 s warm-up, 2 x 1 s measured" : "5 x 1 s warm-up, 5 x 1 s measured")
                + ", 1 fork, per benchmark; about " + (quick ? 35 : 65) + " s)");
        Collection<RunResult> runs = new Runner(options.build()).run();
        ObjectNode out = JSON.createObjectNode();
        ArrayNode list = out.putArray("results");
        for (RunResult run : runs) {
            ObjectNode r = list.addObject();
            String benchmark = run.getParams().getBenchmark();
            r.put("benchmark", benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1));
            String payload = run.getParams().getParam("payload");
            r.put("payload", payload == null ? "small_user_get" : payload);
            Result primary = run.getPrimaryResult();
            r.put("unit", primary.getScoreUnit());
            r.put("mean", primary.getScore());
            r.put("error", primary.getScoreError());
            List<Double> iterations = new ArrayList<>();
            for (BenchmarkResult b : run.getBenchmarkResults()) {
                for (IterationResult i : b.getIterationResults()) {
                    iterations.add(i.getPrimaryResult().getScore());
                }
            }
            ArrayNode its = r.putArray("iterations");
            iterations.forEach(its::add);
            r.put("median", Stats.median(iterations));
            run.getSecondaryResults().forEach((name, result) -> {
                if (name.endsWith("gc.alloc.rate.norm")) {
                    r.put("allocatedBytesPerOp", result.getScore());
                }
            });
            if (payload != null) {
                r.put("inputBytes", OverheadBenchmark.payloadBytes(payload).length);
            }
            System.err.printf("  %-40s %-36s %9.2f us/op (median of %d)%n", r.path("benchmark").asText(), r.path("payload").asText(),
                    r.path("median").asDouble(), iterations.size());
        }
        if (profileDir != null) {
            try (var files = Files.walk(profileDir.resolve("jmh"))) {
                for (Path jfr : files.filter(f -> f.toString().endsWith(".jfr")).toList()) {
                    hotSpots(jfr, "dev.connectorruntime.host", profileDir.resolve("hotspots-jmh-" + jfr.getParent().getFileName() + ".txt"));
                }
            }
        }
        return out;
    }

    private static String[] append(List<String> list, String extra) {
        List<String> all = new ArrayList<>(list);
        all.add(extra);
        return all.toArray(String[]::new);
    }

    /** Writes the hot methods of one JFR recording's threads to a file, and the top of it to the console. */
    private static JfrHotSpots.Report hotSpots(Path jfr, String threadPrefix, Path file) throws IOException {
        JfrHotSpots.Report report = JfrHotSpots.read(jfr, threadPrefix, 60);
        StringBuilder text = new StringBuilder();
        text.append(jfr).append(": ").append(report.samples()).append(" CPU samples of threads ").append(threadPrefix).append("*\n");
        text.append("inclusive%  self%  method\n");
        report.inclusive().forEach(e -> text.append(String.format(java.util.Locale.ROOT, "%9.1f %6.1f  %s%n", e.inclusivePercent(), e.selfPercent(), e.method())));
        text.append("--- by self time\n");
        report.self().forEach(e -> text.append(String.format(java.util.Locale.ROOT, "%9.1f %6.1f  %s%n", e.inclusivePercent(), e.selfPercent(), e.method())));
        Files.writeString(file, text);
        System.err.println("  hot methods: " + file);
        return report;
    }

    // ---------------------------------------------------------------- load

    private static JsonNode load(Path dist, Path plugins, Path work, boolean quick, Path profileDir) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process stub = new ProcessBuilder(javaBin, "-Xms256m", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                StubServer.class.getName(), "16").redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(stub.getInputStream(), StandardCharsets.UTF_8));
            String first = lines.readLine();
            if (first == null || !first.startsWith("STUB ")) {
                throw new IllegalStateException("the stub did not start: " + first);
            }
            String url = first.substring("STUB ".length()).trim();
            List<String> jvm = new ArrayList<>(List.of("-Xms1g", "-Xmx1g"));
            if (profileDir != null) {
                Files.createDirectories(profileDir);
                jvm.add("-XX:FlightRecorderOptions:stackdepth=256");
                jvm.add("-XX:StartFlightRecording=filename=" + profileDir.resolve("load.jfr") + ",settings=profile");
            }
            System.err.println("(per concurrency: each client warms up, then " + (quick ? "1 round" : "3 rounds")
                    + " of " + (quick ? "1" : "3") + " s each, the order rotating; about " + (quick ? 30 : 110) + " s)");
            JsonNode result = forkJson(LoadPhase.class, jvm, work.resolve("load.json"),
                    "--stub", url, "--pool", "64", "--concurrency", "1,16,64",
                    "--warmup-ms", quick ? "1000" : "2000", "--measure-ms", quick ? "1000" : "3000", "--rounds", quick ? "1" : "3",
                    "--plugins", plugins.toString(), "--shipped-concurrency", "64", "--stub-pid", Long.toString(stub.pid()),
                    "--clients", "floor,ours,peer,api", "--dist", dist.toString());
            if (profileDir != null) {
                ObjectNode spots = ((ObjectNode) result).putObject("hotspots");
                for (String client : List.of("ours", "floor", "peer")) {
                    spots.set(client, JSON.valueToTree(hotSpots(profileDir.resolve("load.jfr"), "load-" + client + "#",
                            profileDir.resolve("hotspots-load-" + client + ".txt"))));
                }
            }
            return result;
        } finally {
            stub.getOutputStream().close(); // the stub stops when its standard input closes
            if (!stub.waitFor(5, TimeUnit.SECONDS)) {
                stub.destroyForcibly();
            }
        }
    }

    // ---------------------------------------------------------------- forks

    /** Runs {@code main} of {@code phase} in a new JVM on this class path; returns the JSON it wrote. */
    static JsonNode forkJson(Class<?> phase, List<String> jvmArgs, Path output, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"); // as `runtime-host serve` runs by default
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(phase.getName());
        command.addAll(List.of(args));
        command.add("--out");
        command.add(output.toString());
        Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        int code = p.waitFor();
        if (code != 0 || !Files.isRegularFile(output)) {
            throw new IllegalStateException(phase.getSimpleName() + " failed (exit " + code + ")");
        }
        return JSON.readTree(output.toFile());
    }
}
