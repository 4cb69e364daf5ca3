package dev.connectorruntime.host.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.connectorruntime.spi.Secret;
import dev.connectorruntime.spi.TokenStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InMemoryTokenStoreTest {
    /** A clock the test moves. */
    private static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final MovableClock clock = new MovableClock();
    private final InMemoryTokenStore store = new InMemoryTokenStore(clock, Duration.ofMinutes(5));
    private final AtomicInteger loads = new AtomicInteger();

    private TokenStore.Token token() {
        loads.incrementAndGet();
        return new TokenStore.Token(Secret.of("t" + loads.get()), clock.instant().plus(Duration.ofHours(2)));
    }

    @Test
    void aTokenNobodyAskedForUntilItExpiredIsDropped() throws Exception {
        for (int i = 0; i < 100; i++) {
            store.get("idle-" + i, this::token);
        }
        clock.now = clock.now.plus(Duration.ofMinutes(90));
        store.get("busy", this::token);
        assertEquals(101, store.size(), "not expired yet: kept");

        clock.now = clock.now.plus(Duration.ofMinutes(31));
        store.get("busy", this::token); // still fresh: no load, no sweep
        store.get("another", this::token);
        assertEquals(2, store.size(), "the idle ones expired and were swept with the next load");
    }

    @Test
    void aRemovedKeyIsLoadedAgain() throws Exception {
        store.get("k", this::token);
        store.remove("k");
        assertEquals(0, store.size());
        assertEquals("t2", store.get("k", this::token).value().reveal());
    }
}
