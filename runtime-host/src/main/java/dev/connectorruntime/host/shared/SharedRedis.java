package dev.connectorruntime.host.shared;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Redis that several hosts share (Lettuce, one auto-reconnecting connection). When Redis fails,
 * callers fall back to per-host state for a short while, one warning is logged, and they re-join
 * when a later attempt succeeds.
 */
public final class SharedRedis implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SharedRedis.class);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
    private static final long RETRY_AFTER_NANOS = Duration.ofSeconds(1).toNanos();

    private final RedisClient client;
    private final String where;
    private final boolean tls;
    private volatile StatefulRedisConnection<String, String> connection;
    private final AtomicBoolean down = new AtomicBoolean();
    private final AtomicLong downSince = new AtomicLong();

    public SharedRedis(String url) {
        RedisURI uri = RedisURI.create(url);
        uri.setTimeout(COMMAND_TIMEOUT);
        this.where = uri.getHost() + ":" + uri.getPort();
        this.tls = uri.isSsl();
        this.client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                .build());
    }

    /**
     * Connects and pings once at start. A Redis that refuses the password or the TLS handshake is a
     * configuration error ({@link IllegalStateException} saying which), never a warning at the first
     * call; one that does not answer yet is a warning (an outage is survived like any other).
     */
    public void verify() {
        try {
            connection().sync().ping();
        } catch (RuntimeException e) {
            String refused = refusal(e);
            if (refused != null) {
                throw new IllegalStateException("Redis at " + where + " " + refused);
            }
            LOG.warn("Redis at {} does not answer at start ({}): calls use per-host tokens and rate limits until it does",
                    where, e.getClass().getSimpleName());
        }
    }

    private String refusal(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            String message = String.valueOf(cause.getMessage());
            if (message.contains("NOAUTH") || message.contains("WRONGPASS") || message.contains("invalid password")
                    || message.contains("invalid username-password")) {
                return "refused the credentials: put the right password in the URL (redis://:password@host:port "
                        + "or redis://user:password@host:port)";
            }
            if (cause instanceof javax.net.ssl.SSLException) {
                return "failed the TLS handshake (" + cause.getClass().getSimpleName()
                        + "): check rediss:// against the server's TLS port and its certificate";
            }
        }
        return tls ? "did not complete a TLS connection (" + failure.getClass().getSimpleName()
                + "): check rediss:// against the server's TLS port and its certificate" : null;
    }

    /** Whether to try Redis now: yes unless it failed less than a second ago. */
    boolean usable() {
        return !down.get() || System.nanoTime() - downSince.get() > RETRY_AFTER_NANOS;
    }

    /** Runs commands; on any Redis failure marks Redis down (warning once) and rethrows. */
    <T> T run(Function<RedisCommands<String, String>, T> commands) {
        try {
            T result = commands.apply(connection().sync());
            if (down.compareAndSet(true, false)) {
                LOG.info("Redis at {} is back: tokens, tickets and rate limits are shared across hosts again", where);
            }
            return result;
        } catch (RuntimeException e) {
            if (down.compareAndSet(false, true)) {
                LOG.warn("Redis at {} is unavailable ({}): calls go on with per-host tokens and rate limits until it is back",
                        where, e.getClass().getSimpleName());
            }
            downSince.set(System.nanoTime());
            throw new RedisDown(e);
        }
    }

    private StatefulRedisConnection<String, String> connection() {
        StatefulRedisConnection<String, String> current = connection;
        if (current == null) {
            synchronized (this) {
                if (connection == null) {
                    connection = client.connect();
                }
                current = connection;
            }
        }
        return current;
    }

    @Override
    public void close() {
        if (connection != null) {
            connection.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
    }

    /** Redis could not serve a command; the caller falls back to per-host state. */
    static final class RedisDown extends RuntimeException {
        RedisDown(Throwable cause) {
            super(cause.getClass().getSimpleName(), cause, false, false);
        }
    }
}
