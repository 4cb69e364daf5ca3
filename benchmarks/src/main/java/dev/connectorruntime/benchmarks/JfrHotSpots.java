package dev.connectorruntime.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordingFile;

/**
 * Reads the CPU samples of a JFR recording ({@code jdk.ExecutionSample}) of the threads whose name
 * starts with a prefix, and ranks methods by the share of samples they are on the stack of
 * (inclusive) and at the top of (self).
 */
final class JfrHotSpots {
    record Entry(String method, double inclusivePercent, double selfPercent) {}

    record Report(int samples, List<Entry> inclusive, List<Entry> self) {}

    private JfrHotSpots() {}

    static Report read(Path recording, String threadPrefix, int top) throws IOException {
        Map<String, Integer> inclusive = new HashMap<>();
        Map<String, Integer> self = new HashMap<>();
        int samples = 0;
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
                    continue;
                }
                var thread = event.getThread("sampledThread");
                if (thread == null || thread.getJavaName() == null || !thread.getJavaName().startsWith(threadPrefix)) {
                    continue;
                }
                samples++;
                List<RecordedFrame> frames = event.getStackTrace().getFrames();
                Set<String> seen = new HashSet<>();
                for (int i = 0; i < frames.size(); i++) {
                    String name = name(frames.get(i).getMethod());
                    if (i == 0) {
                        self.merge(name, 1, Integer::sum);
                    }
                    if (seen.add(name)) {
                        inclusive.merge(name, 1, Integer::sum);
                    }
                }
            }
        }
        return new Report(samples, ranked(inclusive, self, samples, top, true), ranked(self, inclusive, samples, top, false));
    }

    private static List<Entry> ranked(Map<String, Integer> by, Map<String, Integer> other, int samples, int top, boolean inclusiveFirst) {
        List<Entry> list = new ArrayList<>();
        by.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(top)
                .forEach(e -> {
                    double a = 100.0 * e.getValue() / Math.max(1, samples);
                    double b = 100.0 * other.getOrDefault(e.getKey(), 0) / Math.max(1, samples);
                    list.add(inclusiveFirst ? new Entry(e.getKey(), a, b) : new Entry(e.getKey(), b, a));
                });
        return list;
    }

    private static String name(RecordedMethod method) {
        String type = method.getType().getName();
        int lambda = type.indexOf("$$Lambda");
        if (lambda >= 0) {
            type = type.substring(0, lambda) + "$$Lambda";
        }
        return type + "." + method.getName();
    }

    /** {@code JfrHotSpots <file.jfr> <thread-prefix> [top]}: prints the ranking. */
    public static void main(String[] args) throws IOException {
        Report report = read(Path.of(args[0]), args[1], args.length > 2 ? Integer.parseInt(args[2]) : 40);
        System.out.println(report.samples() + " samples");
        System.out.println("inclusive%  self%  method");
        report.inclusive().forEach(e -> System.out.printf("%9.1f %6.1f  %s%n", e.inclusivePercent(), e.selfPercent(), e.method()));
        System.out.println("--- by self time");
        report.self().forEach(e -> System.out.printf("%9.1f %6.1f  %s%n", e.inclusivePercent(), e.selfPercent(), e.method()));
    }
}
