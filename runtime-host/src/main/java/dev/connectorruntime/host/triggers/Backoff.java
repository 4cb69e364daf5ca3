package dev.connectorruntime.host.triggers;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When to retry a failed webhook delivery: the first retry after {@code first}, each next one twice as
 * late (up to {@code longest}, with ±20% jitter so receivers coming back are not hit in lock step), and
 * no more once {@code giveUpAfter} has passed since the first attempt: the delivery is then dead-lettered.
 *
 * <p>The default retries for six hours: 1 s, 2 s, 4 s ... then every 10 minutes (about 40 attempts).
 */
public record Backoff(Duration first, Duration longest, Duration giveUpAfter) {
    public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(10), Duration.ofHours(6));

    /** The wait before retry number {@code retry} (1 = the first retry). */
    public Duration delay(int retry) {
        double base = first.toMillis() * Math.pow(2, Math.min(retry - 1, 30));
        double capped = Math.min(base, longest.toMillis());
        double jittered = capped * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble());
        return Duration.ofMillis(Math.max(1, Math.round(jittered)));
    }

    /** Whether a delivery first tried {@code sinceFirstAttempt} ago may be tried again. */
    public boolean mayRetry(Duration sinceFirstAttempt) {
        return sinceFirstAttempt.compareTo(giveUpAfter) < 0;
    }
}
