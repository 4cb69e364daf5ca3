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
 * A token nobody asked for until it expired is dropped by a sweep that runs, at most once a minute,
 * with the next load.
 */
public final class InMemoryTokenStore implements TokenStore {
    private record Loaded(Token token, Instant refreshAt) {}

    private final ConcurrentHashMap<String, CompletableFuture<Loaded>> tokens = new ConcurrentHashMap<>();
    private static final Duration SWEEP_EVERY = Duration.ofMinutes(1);

    private final Clock clock;
    private final Duration refreshAhead;
    private volatile Instant nextSweep = Instant.MIN;

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
            sweepIfDue();
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

    /** Drops tokens that expired unused; entries still loading are kept. */
    private void sweepIfDue() {
        Instant now = clock.instant();
        if (now.isBefore(nextSweep)) {
            return;
        }
        nextSweep = now.plus(SWEEP_EVERY);
        tokens.values().removeIf(f -> f.isDone() && !f.isCompletedExceptionally() && !now.isBefore(f.join().token().expiresAt()));
    }

    /** How many keys are held (loaded or loading). */
    int size() {
        return tokens.size();
    }

    @Override
    public void remove(String key) {
        tokens.remove(key);
    }

    @Override
    public void invalidate(String key, Secret stale) {
        tokens.computeIfPresent(key, (k, existing) -> existing.isDone() && !existing.isCompletedExceptionally()
                && existing.join().token().value().equals(stale) ? null : existing);
    }
}
