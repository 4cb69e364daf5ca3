package dev.connectorruntime.benchmarks;

import dev.connectorruntime.host.ConnectorHost;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;

/**
 * Run in a fresh JVM with the launcher's flags and class path: builds a host from a plugins
 * directory and prints, as one JSON line, how long the JVM had been up when the host was ready and
 * the host's own {@link ConnectorHost#startupTimings()} (plugin load, schema compile).
 */
public final class StartupProbe {
    private StartupProbe() {}

    public static void main(String[] args) {
        long before = ManagementFactory.getRuntimeMXBean().getUptime();
        long start = System.nanoTime();
        try (ConnectorHost host = ConnectorHost.builder().pluginsDir(Path.of(args[0])).build()) {
            double buildMs = (System.nanoTime() - start) / 1e6;
            long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
            var timings = host.startupTimings();
            System.out.printf("{\"jvmUptimeAtMainMs\": %d, \"jvmUptimeAtReadyMs\": %d, \"hostBuildMs\": %.1f, \"pluginLoadMs\": %.1f, \"schemaCompileMs\": %.1f, \"actions\": %d}%n",
                    before, uptime, buildMs, timings.pluginLoad().toNanos() / 1e6, timings.schemaCompile().toNanos() / 1e6, host.actions().size());
        }
    }
}
