package dev.connectorruntime.host.pipeline;

import dev.connectorruntime.spi.ExecutionResult;
import java.time.Duration;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One structured log record per call: action, connection, outcome, attempts, upstream error code and latency.
 * Never an input, an output, a secret or a token.
 */
final class CallLog {
    private static final Logger LOG = LoggerFactory.getLogger("dev.connectorruntime.calls");
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final Pattern UNSAFE = Pattern.compile("[^\\p{L}\\p{N}_.-]");

    void record(String action, String connection, ExecutionResult result, String upstreamCode, Duration latency) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        String outcome = result instanceof ExecutionResult.Failure failure ? failure.error().code().name() : "OK";
        LOG.info("call action={} connection={} outcome={} attempts={} upstreamCode={} latencyMs={}",
                printable(action), printable(connection), outcome, result.attempts(), upstreamCode, latency.toMillis());
    }

    /** Caller-given names are quoted and cut, so a crafted id cannot forge log lines. */
    private static String printable(String value) {
        if (value == null) {
            return "-";
        }
        String cut = value.length() > 64 ? value.substring(0, 64) + "..." : value;
        return PLAIN.matcher(cut).matches() ? cut : '"' + UNSAFE.matcher(cut).replaceAll("?") + '"';
    }
}
