package dev.connectorruntime.host;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How the executor resends a call that failed in a way that allows it: exponential backoff with
 * jitter, bounded in resends and in total time.
 *
 * @param maxRetries resends after the first attempt (a token refresh is not counted)
 * @param initialBackoff the first backoff; each further one doubles, up to {@code maxBackoff}
 * @param maxTotal no resend starts later than this after the call began, nor any rate-limit wait ends
 *     later; when pages are followed, each page has this budget of its own
 * @param maxFollow following pages starts no page later than this after the call began; the result
 *     then keeps the cursor (or offset) to go on from
 */
public record RetryPolicy(int maxRetries, Duration initialBackoff, Duration maxBackoff, Duration maxTotal, Duration maxFollow) {
    public static final RetryPolicy DEFAULT = new RetryPolicy(3, Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofSeconds(15),
            Duration.ofMinutes(10));

    /** A policy whose page follows are bounded at 40 times {@code maxTotal}. */
    public RetryPolicy(int maxRetries, Duration initialBackoff, Duration maxBackoff, Duration maxTotal) {
        this(maxRetries, initialBackoff, maxBackoff, maxTotal, maxTotal.multipliedBy(40));
    }

    /** The pause before resend number {@code retry} (1-based): half fixed, half random. */
    public Duration backoff(int retry) {
        long cap = Math.min(maxBackoff.toMillis(), initialBackoff.toMillis() << Math.min(retry - 1, 20));
        long half = cap / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
    }
}
