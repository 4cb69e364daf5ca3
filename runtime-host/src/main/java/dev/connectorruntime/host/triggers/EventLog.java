package dev.connectorruntime.host.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The durable log of trigger events: what was acknowledged upstream, in store order. Implementations
 * are thread-safe.
 */
public interface EventLog extends AutoCloseable {

    /**
     * Stores an event unless its dedup key was seen before.
     *
     * @return the stored event, durable when this returns; empty when {@code dedupKey} was already
     *     stored (an upstream resend or a replay)
     */
    Optional<TriggerEvent> append(String dedupKey, String triggerId, String connection, JsonNode event);

    /** Up to {@code limit} events after the cursor {@code afterSequence} that match {@code where}, oldest first. */
    List<TriggerEvent> read(long afterSequence, EventFilter where, int limit);

    /** Forgets events (and their dedup keys) stored before {@code cutoff}. */
    void purgeOlderThan(Instant cutoff);

    /** The sequence of the newest event kept (0 when none): a reader that wants only new events starts after it. */
    long lastSequence();

    @Override
    default void close() {}
}
