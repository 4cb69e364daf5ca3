package dev.connectorruntime.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the figures were measured on: CPU, memory, OS, JVM, load. */
final class Machine {
    private Machine() {}

    static ObjectNode describe() {
        ObjectNode m = new ObjectMapper().createObjectNode();
        m.put("nproc", nproc());
        m.put("cpuModel", firstValue(Path.of("/proc/cpuinfo"), "model name"));
        m.put("memTotal", firstValue(Path.of("/proc/meminfo"), "MemTotal"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        m.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + " (" + System.getProperty("java.vm.vendor") + ")");
        m.put("javaHome", System.getProperty("java.home"));
        return m;
    }

    /** {@code nproc}: the processors this process may use. */
    static int nproc() {
        try {
            Process p = new ProcessBuilder("nproc").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return Integer.parseInt(out);
        } catch (IOException | NumberFormatException e) {
            return Runtime.getRuntime().availableProcessors();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Runtime.getRuntime().availableProcessors();
        }
    }

    /** The 1, 5 and 15 minute load averages. */
    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Busy and total jiffies of all CPUs, from /proc/stat. */
    static long[] cpuJiffies() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/stat"));
            String[] f = lines.get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    /**
     * CPU jiffies: all CPUs busy, all CPUs in total, and this process with its waited-for children
     * (utime + stime + cutime + cstime of /proc/self/stat); between two snapshots taken when no child
     * is running, busy minus ours is what other processes used.
     */
    record CpuSnapshot(long busy, long total, long ours) {
        /** Percent of the whole machine (all CPUs) used by processes other than this run since {@code earlier}. */
        double othersPercentSince(CpuSnapshot earlier) {
            long total = this.total - earlier.total;
            return total <= 0 ? Double.NaN : Math.max(0, 100.0 * ((busy - earlier.busy) - (ours - earlier.ours)) / total);
        }

        double busyPercentSince(CpuSnapshot earlier) {
            long total = this.total - earlier.total;
            return total <= 0 ? Double.NaN : 100.0 * (busy - earlier.busy) / total;
        }
    }

    static CpuSnapshot cpu() {
        long[] machine = cpuJiffies();
        long ours = 0;
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split("\\s+");
            // fields after the command: state(3) ... utime(14) stime(15) cutime(16) cstime(17), 1-based in proc(5)
            ours = Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
        } catch (IOException | RuntimeException e) {
            // leaves ours at 0: others' share then reads as the whole machine's
        }
        return new CpuSnapshot(machine[0], machine[1], ours);
    }

    /**
     * Waits, at most {@code maxSeconds}, until other processes use less than {@code thresholdPercent}
     * of the machine over a 2 s sample; returns the share seen last.
     */
    static double waitForQuiet(double thresholdPercent, int maxSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + maxSeconds * 1_000_000_000L;
        double others;
        boolean told = false;
        while (true) {
            CpuSnapshot before = cpu();
            Thread.sleep(2000);
            others = cpu().othersPercentSince(before);
            if (Double.isNaN(others) || others < thresholdPercent || System.nanoTime() > deadline) {
                break;
            }
            if (!told) {
                System.err.printf("(other processes use %.0f %% of the CPUs: waiting up to %d s for the machine to be quiet)%n", others, maxSeconds);
                told = true;
            }
        }
        return others;
    }

    private static String firstValue(Path file, String key) {
        try {
            return Files.readAllLines(file).stream().filter(l -> l.startsWith(key)).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
