package dev.connectorruntime.host.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes whoever waits for events (long polls, event streams, webhook workers) as soon as this host
 * stores one; events stored by other hosts are noticed by the waiters' next look (they wait in short
 * slices).
 */
public final class NewEvents {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition appended = lock.newCondition();
    private long version;

    /** {@code log}, signalling this after each event it stores. */
    public EventLog signalling(EventLog log) {
        return new EventLog() {
            @Override
            public Optional<TriggerEvent> append(String dedupKey, String triggerId, String connection, JsonNode event) {
                Optional<TriggerEvent> stored = log.append(dedupKey, triggerId, connection, event);
                if (stored.isPresent()) {
                    signal();
                }
                return stored;
            }

            @Override
            public List<TriggerEvent> read(long afterSequence, EventFilter where, int limit) {
                return log.read(afterSequence, where, limit);
            }

            @Override
            public void purgeOlderThan(Instant cutoff) {
                log.purgeOlderThan(cutoff);
            }

            @Override
            public long lastSequence() {
                return log.lastSequence();
            }

            @Override
            public void close() {
                log.close();
            }
        };
    }

    /** Called after an event is stored. */
    public void signal() {
        lock.lock();
        try {
            version++;
            appended.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The current version, to pass to {@link #awaitAfter}. */
    long version() {
        lock.lock();
        try {
            return version;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until an event is stored after {@code seen} was read, or the timeout passes. */
    void awaitAfter(long seen, Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (version == seen && nanos > 0) {
                nanos = appended.awaitNanos(nanos);
            }
        } finally {
            lock.unlock();
        }
    }

    static final Duration SLICE = Duration.ofMillis(200);

    static Duration slice(long deadlineNanos) {
        long left = deadlineNanos - System.nanoTime();
        return Duration.ofNanos(Math.max(0, Math.min(left, SLICE.toNanos())));
    }

}
