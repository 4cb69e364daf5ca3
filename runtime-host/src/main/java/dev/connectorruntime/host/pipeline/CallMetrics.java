package dev.connectorruntime.host.pipeline;

import dev.connectorruntime.spi.ExecutionResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records every call in a Micrometer registry: {@code connector.calls} (a timer tagged with action
 * and outcome: calls, errors and latency) and {@code connector.upstream.errcodes} (a counter tagged
 * with action and the upstream's error code).
 */
public final class CallMetrics {
    public static final String CALLS = "connector.calls";
    public static final String ERRCODES = "connector.upstream.errcodes";

    private final MeterRegistry registry;
    /** Meters by (action, outcome) and (action, errcode): registering is too slow for every call. */
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public CallMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void record(String action, ExecutionResult result, String errcode, Duration latency) {
        String outcome = result instanceof ExecutionResult.Failure failure ? failure.error().code().name() : "OK";
        timers.computeIfAbsent(action + '\n' + outcome, k -> Timer.builder(CALLS)
                .description("Action calls by outcome, with their latency")
                .tag("action", action).tag("outcome", outcome)
                .register(registry)).record(latency);
        if (errcode != null) {
            counters.computeIfAbsent(action + '\n' + errcode, k -> Counter.builder(ERRCODES)
                    .description("Upstream answers by errcode")
                    .tag("action", action).tag("errcode", errcode)
                    .register(registry)).increment();
        }
    }
}
