package dev.connectorruntime.host.shared;

import com.google.common.hash.Hashing;
import dev.connectorruntime.host.auth.InMemoryTokenStore;
import dev.connectorruntime.host.auth.SealingKeys;
import dev.connectorruntime.spi.ActionException;
import dev.connectorruntime.spi.Secret;
import dev.connectorruntime.spi.TokenStore;
import io.lettuce.core.KeyValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link TokenStore} shared by every host on one Redis: one load per key across all hosts (a short
 * lock with expiry; the others wait for the value), each host keeping a local copy until it is due
 * for refresh. Only tokens and tickets are stored, under the connector's keys (hashes that reveal no
 * secret). If Redis goes away, each host goes on with its own cache and re-joins when it is back.
 *
 * <p>Given {@link SealingKeys}, a token is stored sealed (AES-256-GCM, bound to its Redis key), so
 * reading Redis yields no usable token; a value that does not open (no key for it, altered, moved, or
 * left in clear) counts as absent and is fetched again. Every host sharing the Redis needs the keys.
 */
public final class RedisTokenStore implements TokenStore {
    private static final String PREFIX = "connector-runtime:";
    private static final Duration LOCK_TTL = Duration.ofSeconds(10);
    private static final long POLL_MILLIS = 20;
    private static final Duration SWEEP_EVERY = Duration.ofMinutes(1);
    /** Deletes the entry if it still holds the rejected token: its hash in {@code h}, or, stored in clear by an older host, in {@code v}. */
    private static final String DELETE_IF_VALUE = "if redis.call('HGET', KEYS[1], 'h') == ARGV[1]"
            + " or (ARGV[2] ~= '' and redis.call('HGET', KEYS[1], 'v') == ARGV[2]) then return redis.call('DEL', KEYS[1]) end return 0";
    private static final String UNLOCK = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

    /** A token with the moment it should be refreshed. */
    private record Held(Token token, Instant refreshAt) {}

    /** A token as stored in Redis, with when it was issued (its lifetime sets the refresh margin). */
    private record Stored(Token token, Instant issuedAt) {}

    private final SharedRedis redis;
    private final Clock clock;
    private final Duration refreshAhead;
    private final InMemoryTokenStore fallback;
    private final SealingKeys keys;
    private final ConcurrentHashMap<String, Held> local = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CompletableFuture<Token>> inFlight = new ConcurrentHashMap<>();
    private volatile Instant nextSweep = Instant.MIN;

    /** A store keeping tokens in Redis in clear. */
    public RedisTokenStore(SharedRedis redis, Clock clock, Duration refreshAhead) {
        this(redis, clock, refreshAhead, null);
    }

    /** A store keeping tokens in Redis sealed with {@code keys} (in clear when null). */
    public RedisTokenStore(SharedRedis redis, Clock clock, Duration refreshAhead, SealingKeys keys) {
        this.keys = keys;
        this.redis = redis;
        this.clock = clock;
        this.refreshAhead = refreshAhead;
        this.fallback = new InMemoryTokenStore(clock, refreshAhead);
    }

    @Override
    public Token get(String key, Loader loader) throws ActionException {
        Held held = local.get(key);
        if (held != null && clock.instant().isBefore(held.refreshAt())) {
            return held.token();
        }
        if (!redis.usable()) {
            return fallback.get(key, loader);
        }
        CompletableFuture<Token> mine = new CompletableFuture<>();
        CompletableFuture<Token> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            return join(running);
        }
        try {
            Token token = shared(key, loader);
            mine.complete(token);
            return token;
        } catch (ActionException | RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    private Token shared(String key, Loader loader) throws ActionException {
        String redisKey = PREFIX + key;
        String lockKey = redisKey + ":lock";
        String owner = UUID.randomUUID().toString();
        long deadline = System.nanoTime() + LOCK_TTL.toNanos();
        try {
            while (true) {
                Stored current = read(redisKey);
                if (current != null && !due(current)) {
                    return remember(key, current);
                }
                boolean locked = "OK".equals(redis.run(c -> c.set(lockKey, owner, SetArgs.Builder.nx().px(LOCK_TTL.toMillis()))));
                if (locked) {
                    try {
                        Stored again = read(redisKey);
                        if (again != null && !due(again)) {
                            return remember(key, again);
                        }
                        Stored fresh = new Stored(loader.load(), clock.instant());
                        write(redisKey, fresh);
                        return remember(key, fresh);
                    } finally {
                        redis.run(c -> c.eval(UNLOCK, ScriptOutputType.INTEGER, new String[] {lockKey}, owner));
                    }
                }
                if (current != null && clock.instant().isBefore(current.token().expiresAt())) {
                    return current.token(); // another host is refreshing it; this one is still valid
                }
                if (System.nanoTime() > deadline) {
                    return remember(key, new Stored(loader.load(), clock.instant()));
                }
                Thread.sleep(POLL_MILLIS);
            }
        } catch (SharedRedis.RedisDown e) {
            return fallback.get(key, loader);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fallback.get(key, loader);
        }
    }

    @Override
    public void remove(String key) {
        local.remove(key);
        fallback.remove(key);
        if (redis.usable()) {
            try {
                redis.run(c -> c.del(PREFIX + key));
            } catch (SharedRedis.RedisDown e) {
                // Redis drops it when it expires
            }
        }
    }

    @Override
    public void invalidate(String key, Secret stale) {
        local.computeIfPresent(key, (k, held) -> held.token().value().equals(stale) ? null : held);
        fallback.invalidate(key, stale);
        if (redis.usable()) {
            try {
                redis.run(c -> c.eval(DELETE_IF_VALUE, ScriptOutputType.INTEGER, new String[] {PREFIX + key},
                        fingerprint(stale), keys == null ? stale.reveal() : ""));
            } catch (SharedRedis.RedisDown e) {
                // the local copy is gone; Redis will be cleaned by expiry or the next invalidation
            }
        }
    }

    private Stored read(String redisKey) {
        List<KeyValue<String, String>> fields = redis.run(c -> c.hmget(redisKey, "v", "e", "i"));
        if (fields.size() < 3 || fields.stream().anyMatch(f -> !f.hasValue())) {
            return null;
        }
        String value = fields.get(0).getValue();
        if (keys != null) {
            try {
                value = keys.open(value, redisKey);
            } catch (SealingKeys.SealException e) {
                return null; // fetched again and stored sealed
            }
        } else if (SealingKeys.isSealed(value)) {
            return null; // sealed by a host that has keys this one lacks
        }
        return new Stored(new Token(Secret.of(value), Instant.ofEpochMilli(Long.parseLong(fields.get(1).getValue()))),
                Instant.ofEpochMilli(Long.parseLong(fields.get(2).getValue())));
    }

    /** What identifies a token in Redis without revealing it: its SHA-256 (tokens are long random strings). */
    private static String fingerprint(Secret token) {
        return Hashing.sha256().hashString(token.reveal(), StandardCharsets.UTF_8).toString();
    }

    private void write(String redisKey, Stored stored) {
        long ttl = Math.max(1, Duration.between(clock.instant(), stored.token().expiresAt()).toMillis());
        redis.run(c -> {
            String value = stored.token().value().reveal();
            c.hset(redisKey, Map.of("v", keys == null ? value : keys.seal(value, redisKey), "h", fingerprint(stored.token().value()),
                    "e", Long.toString(stored.token().expiresAt().toEpochMilli()),
                    "i", Long.toString(stored.issuedAt().toEpochMilli())));
            return c.pexpire(redisKey, ttl);
        });
    }

    private Token remember(String key, Stored stored) {
        sweepIfDue();
        local.put(key, new Held(stored.token(), refreshAt(stored)));
        return stored.token();
    }

    /** Drops local copies that expired unused, at most once a minute. */
    private void sweepIfDue() {
        Instant now = clock.instant();
        if (now.isBefore(nextSweep)) {
            return;
        }
        nextSweep = now.plus(SWEEP_EVERY);
        local.values().removeIf(held -> !now.isBefore(held.token().expiresAt()));
    }

    private boolean due(Stored stored) {
        return !clock.instant().isBefore(refreshAt(stored));
    }

    /** {@code refreshAhead} before expiry; for tokens that live less than twice that, half-way. */
    private Instant refreshAt(Stored stored) {
        Duration lifetime = Duration.between(stored.issuedAt(), stored.token().expiresAt());
        Duration margin = lifetime.dividedBy(2).compareTo(refreshAhead) < 0 ? lifetime.dividedBy(2) : refreshAhead;
        return stored.token().expiresAt().minus(margin);
    }

    private static Token join(CompletableFuture<Token> running) throws ActionException {
        try {
            return running.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof ActionException action) {
                throw action;
            }
            throw e;
        }
    }
}
