package dev.connectorruntime.host.auth;

import dev.connectorruntime.spi.ActionException;
import dev.connectorruntime.spi.Secret;
import dev.connectorruntime.spi.TokenStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The default {@link TokenStore}: tokens in memory, one load per key however many callers wait for
 * it, refreshed ahead of expiry: {@code refreshAhead} before it, or half-way for short-lived tokens.
 */
public final class InMemoryTokenStore implements TokenStore {
    private record Loaded(Token token, Instant refreshAt) {}

    private final ConcurrentHashMap<String, CompletableFuture<Loaded>> tokens = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration refreshAhead;

    public InMemoryTokenStore(Clock clock, Duration refreshAhead) {
        this.clock = clock;
        this.refreshAhead = refreshAhead;
    }

    @Override
    public Token get(String key, Loader loader) throws ActionException {
        CompletableFuture<Loaded> cached = tokens.get(key);
        if (cached != null && cached.isDone() && !cached.isCompletedExceptionally()
                && clock.instant().isBefore(cached.join().refreshAt())) {
            return cached.join().token();
        }
        CompletableFuture<Loaded> mine = new CompletableFuture<>();
        CompletableFuture<Loaded> current = tokens.compute(key, (k, existing) -> usable(existing) ? existing : mine);
        if (current == mine) {
            load(key, loader, mine);
        }
        try {
            return current.join().token();
        } catch (CompletionException e) {
            if (e.getCause() instanceof ActionException action) {
                throw action;
            }
            throw e;
        }
    }

    private void load(String key, Loader loader, CompletableFuture<Loaded> future) {
        try {
            Instant now = clock.instant();
            Token token = loader.load();
            Duration lifetime = Duration.between(now, token.expiresAt());
            Duration margin = lifetime.dividedBy(2).compareTo(refreshAhead) < 0 ? lifetime.dividedBy(2) : refreshAhead;
            future.complete(new Loaded(token, token.expiresAt().minus(margin)));
        } catch (ActionException | RuntimeException e) {
            tokens.remove(key, future);
            future.completeExceptionally(e);
        }
    }

    /** In flight, or loaded and not yet due for refresh. */
    private boolean usable(CompletableFuture<Loaded> existing) {
        if (existing == null || existing.isCompletedExceptionally()) {
            return false;
        }
        return !existing.isDone() || clock.instant().isBefore(existing.join().refreshAt());
    }

    @Override
    public void invalidate(String key, Secret stale) {
        tokens.computeIfPresent(key, (k, existing) -> existing.isDone() && !existing.isCompletedExceptionally()
                && existing.join().token().value().equals(stale) ? null : existing);
    }
}
