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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Start-up, as a user meets it: the distribution's launcher ({@code bin/runtime-host actions}) from
 * process start to its first output line; inside it, plugin load and schema compile (a probe JVM
 * with the launcher's flags and class path); and the resident memory of a started
 * {@code runtime-host serve --sandbox --port 0}.
 */
final class StartupPhase {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StartupPhase() {}

    static ObjectNode run(Path dist, Path benchmarkClasses, int launches, int probes, int serves) throws Exception {
        ObjectNode out = JSON.createObjectNode();
        Path launcher = dist.resolve("bin").resolve("runtime-host");
        // one launch first, not counted: PF4J unpacks the plugin zip on its first start after a build
        runLauncher(launcher);
        ArrayNode runs = out.putArray("launcher");
        for (int i = 0; i < launches; i++) {
            double[] t = runLauncher(launcher);
            runs.addObject().put("firstLineMs", t[0]).put("exitMs", t[1]);
        }
        ArrayNode probeRuns = out.putArray("probe");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (int i = 0; i < probes; i++) {
            Process p = new ProcessBuilder(javaBin, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                    "-cp", dist.resolve("lib") + "/*" + java.io.File.pathSeparator + benchmarkClasses,
                    StartupProbe.class.getName(), dist.resolve("plugins").toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String line = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("startup probe failed: " + line);
            }
            probeRuns.add(JSON.readTree(line));
        }
        ArrayNode serveRuns = out.putArray("serve");
        for (int i = 0; i < serves; i++) {
            serveRuns.add(serve(launcher));
        }
        return out;
    }

    /** Milliseconds from process start to its first stdout line, and to its exit. */
    private static double[] runLauncher(Path launcher) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process p = new ProcessBuilder(launcher.toString(), "actions").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        double firstLine;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            firstLine = (System.nanoTime() - start) / 1e6;
            if (line == null) {
                throw new IllegalStateException(launcher + " actions printed nothing");
            }
            while (out.readLine() != null) {
                // drain
            }
        }
        int code = p.waitFor();
        double exit = (System.nanoTime() - start) / 1e6;
        if (code != 0) {
            throw new IllegalStateException(launcher + " actions exited " + code);
        }
        return new double[] {firstLine, exit};
    }

    /** Starts {@code serve --sandbox --port 0}, waits for its "Serving" line, reads its memory, stops it. */
    private static JsonNode serve(Path launcher) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process p = new ProcessBuilder(launcher.toString(), "serve", "--sandbox", "--port", "0")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("Serving")) {
                // wait for the ready line
            }
            if (line == null) {
                throw new IllegalStateException("serve --sandbox ended before serving");
            }
            double readyMs = (System.nanoTime() - start) / 1e6;
            Thread.sleep(1000); // let start-up threads settle
            List<String> status = Files.readAllLines(Path.of("/proc", Long.toString(p.pid()), "status"));
            ObjectNode r = JSON.createObjectNode();
            r.put("readyMs", readyMs).put("vmRssMiB", kib(status, "VmRSS:") / 1024.0).put("vmHwmMiB", kib(status, "VmHWM:") / 1024.0);
            return r;
        } finally {
            p.destroy(); // SIGTERM: the server's shutdown hook stops it
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private static long kib(List<String> status, String field) {
        return status.stream().filter(l -> l.startsWith(field)).findFirst()
                .map(l -> Long.parseLong(l.substring(field.length()).trim().split("\\s+")[0]))
                .orElseThrow(() -> new IllegalStateException("no " + field + " in /proc status"));
    }

    static List<Double> numbers(JsonNode array, String field) {
        List<Double> values = new ArrayList<>();
        array.forEach(n -> values.add(n.path(field).asDouble()));
        return values;
    }
}
