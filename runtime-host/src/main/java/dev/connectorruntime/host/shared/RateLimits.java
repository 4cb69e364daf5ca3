package dev.connectorruntime.host.shared;

import com.google.common.util.concurrent.RateLimiter;
import dev.connectorruntime.spi.ActionError;
import dev.connectorruntime.spi.ActionException;
import dev.connectorruntime.spi.ErrorCode;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.List;
import dev.connectorruntime.host.connections.Connections;
import java.util.function.Supplier;

/**
 * Client-side rate limits: per connection (one corp) and per connection + action, so a burst of
 * workflow runs is smoothed (callers wait their turn) instead of rejected upstream. A call that would
 * wait longer than its budget fails with {@link ErrorCode#RATE_LIMITED}, having sent nothing.
 *
 * <p>With a shared Redis, every host reserves its slot in one schedule per key (a Lua script using
 * Redis's clock), so N hosts together keep the configured rate; without one, or while Redis is away,
 * each host limits itself (Guava).
 */
public final class RateLimits {
    private static final String PREFIX = "connector-runtime:rate:";
    /** Reserves the next slot of KEYS[1] spaced ARGV[1] ms apart; returns the wait in ms, or -1 beyond ARGV[2] ms. */
    private static final String RESERVE = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local interval = tonumber(ARGV[1])
            local slot = math.max(tonumber(redis.call('GET', KEYS[1]) or '0'), now)
            local wait = slot - now
            if wait > tonumber(ARGV[2]) then return -1 end
            redis.call('SET', KEYS[1], tostring(slot + interval), 'PX', math.ceil(wait + interval) + 1000)
            return math.ceil(wait)
            """;

    private final SharedRedis redis;

    /** @param redis the shared Redis, or null for per-host limits only */
    public RateLimits(SharedRedis redis) {
        this.redis = redis;
    }

    /**
     * Takes one permit from each limit that applies; a rate of 0 or less means no limit. This host's
     * limiters belong to the connection's entry, so they go when it is removed or replaced.
     */
    public void acquire(Connections.Entry connection, String action, double actionPerSecond, Duration maxWait)
            throws ActionException {
        String name = connection.connection().name();
        double perSecond = connection.rateLimitPerSecond();
        if (perSecond > 0) {
            take("connection:" + name, perSecond, maxWait, name, connection::connectionLimiter);
        }
        if (actionPerSecond > 0) {
            take("action:" + name + ":" + action, actionPerSecond, maxWait, name + " / " + action,
                    () -> connection.actionLimiter(action, actionPerSecond));
        }
    }

    /** The Redis key carries the rate: a changed rate starts a new schedule, and the old key expires. */
    private void take(String key, double perSecond, Duration maxWait, String what, Supplier<RateLimiter> localLimiter)
            throws ActionException {
        if (redis != null && redis.usable()) {
            try {
                long wait = redis.run(c -> c.<Long>eval(RESERVE, ScriptOutputType.INTEGER, new String[] {PREFIX + key + "@" + perSecond},
                        Double.toString(1000.0 / perSecond), Long.toString(maxWait.toMillis())));
                if (wait < 0) {
                    throw limited(perSecond, what);
                }
                sleep(wait);
                return;
            } catch (SharedRedis.RedisDown e) {
                // fall through to this host's own limiter
            }
        }
        if (!localLimiter.get().tryAcquire(1, maxWait)) {
            throw limited(perSecond, what);
        }
    }

    private static ActionException limited(double perSecond, String what) {
        return new ActionException(ActionError.of(ErrorCode.RATE_LIMITED,
                "Client-side rate limit of " + perSecond + " calls/s for " + what + " is exhausted; nothing was sent",
                null, "稍后重试，或调高连接的 rateLimitPerSecond。Retry later or raise the connection's rateLimitPerSecond.", true));
    }

    private static void sleep(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
