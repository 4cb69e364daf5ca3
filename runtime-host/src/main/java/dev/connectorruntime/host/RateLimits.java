package dev.connectorruntime.host;

import com.google.common.util.concurrent.RateLimiter;
import dev.connectorruntime.spi.ActionError;
import dev.connectorruntime.spi.ActionException;
import dev.connectorruntime.spi.ErrorCode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Client-side rate limits: per connection (one corp) and per connection + action, so a burst of
 * workflow runs is smoothed (callers wait their turn) instead of rejected upstream. A call that would
 * wait longer than its budget fails with {@link ErrorCode#RATE_LIMITED}, having sent nothing.
 */
final class RateLimits {
    private final ConcurrentHashMap<String, RateLimiter> limiters = new ConcurrentHashMap<>();

    /** Takes one permit from each limit that applies; a rate of 0 or less means no limit. */
    void acquire(String connection, double perSecond, String action, double actionPerSecond, Duration maxWait)
            throws ActionException {
        take("connection:" + connection, perSecond, maxWait, connection);
        take("action:" + connection + ":" + action, actionPerSecond, maxWait, connection + " / " + action);
    }

    private void take(String key, double perSecond, Duration maxWait, String what) throws ActionException {
        if (perSecond <= 0) {
            return;
        }
        RateLimiter limiter = limiters.computeIfAbsent(key + "@" + perSecond, k -> RateLimiter.create(perSecond));
        if (!limiter.tryAcquire(1, maxWait)) {
            throw new ActionException(new ActionError(ErrorCode.RATE_LIMITED,
                    "Client-side rate limit of " + perSecond + " calls/s for " + what + " is exhausted; nothing was sent",
                    List.of(), null, null, "稍后重试，或调高连接的 rateLimitPerSecond。Retry later or raise the connection's rateLimitPerSecond.", true));
        }
    }
}
