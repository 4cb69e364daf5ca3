package dev.connectorruntime.host;

import dev.connectorruntime.spi.ExecutionResult;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/** Counters per action: calls by outcome, upstream errcodes, latency (count, sum, max). */
public final class CallMetrics {

    /** One action's counters at a moment. */
    public record ActionStats(Map<String, Long> outcomes, Map<Integer, Long> errcodes, long calls, double latencySecondsSum,
                              double latencySecondsMax) {}

    private static final class Counters {
        final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
        final Map<Integer, LongAdder> errcodes = new ConcurrentHashMap<>();
        final LongAdder calls = new LongAdder();
        final LongAdder latencyNanos = new LongAdder();
        final LongAccumulator maxNanos = new LongAccumulator(Math::max, 0);
    }

    private final Map<String, Counters> byAction = new ConcurrentHashMap<>();

    void record(String action, ExecutionResult result, Integer errcode, Duration latency) {
        Counters counters = byAction.computeIfAbsent(action, a -> new Counters());
        String outcome = result instanceof ExecutionResult.Failure failure ? failure.error().code().name() : "OK";
        counters.calls.increment();
        counters.outcomes.computeIfAbsent(outcome, o -> new LongAdder()).increment();
        if (errcode != null) {
            counters.errcodes.computeIfAbsent(errcode, e -> new LongAdder()).increment();
        }
        counters.latencyNanos.add(latency.toNanos());
        counters.maxNanos.accumulate(latency.toNanos());
    }

    /** A snapshot, by action id. */
    public Map<String, ActionStats> snapshot() {
        Map<String, ActionStats> out = new TreeMap<>();
        byAction.forEach((action, c) -> {
            Map<String, Long> outcomes = new TreeMap<>();
            c.outcomes.forEach((k, v) -> outcomes.put(k, v.sum()));
            Map<Integer, Long> errcodes = new TreeMap<>();
            c.errcodes.forEach((k, v) -> errcodes.put(k, v.sum()));
            out.put(action, new ActionStats(outcomes, errcodes, c.calls.sum(), c.latencyNanos.sum() / 1e9, c.maxNanos.get() / 1e9));
        });
        return out;
    }
}
