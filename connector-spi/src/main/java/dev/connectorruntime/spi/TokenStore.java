package dev.connectorruntime.spi;

import java.time.Instant;

/**
 * Caches tokens (access tokens, tickets) by key. One load per key at a time: concurrent callers of
 * {@link #get} for a missing or expiring key share one {@link Loader#load()}.
 *
 * <p>Keys must not reveal secrets (hash them). Implementations are thread-safe, and forget a token
 * once it has expired without being asked for again.
 */
public interface TokenStore {

    /** Returns the cached token for {@code key}, loading it when absent or about to expire. */
    Token get(String key, Loader loader) throws ActionException;

    /** Drops {@code key} if it still holds {@code stale}; a token loaded meanwhile is kept. */
    void invalidate(String key, Secret stale);

    /** Forgets {@code key} whatever it holds: its connection is gone or has new credentials. */
    void remove(String key);

    /** A token and when it expires. */
    record Token(Secret value, Instant expiresAt) {}

    /** Fetches a fresh token from upstream. */
    @FunctionalInterface
    interface Loader {
        Token load() throws ActionException;
    }
}
