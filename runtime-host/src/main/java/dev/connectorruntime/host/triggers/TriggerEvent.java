package dev.connectorruntime.host.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;

/**
 * One stored event of a trigger, as delivered to workflows.
 *
 * @param id stable and unique, made when the event was stored; consumers deduplicate on it
 * @param sequence the cursor: increasing in store order within one event log
 * @param triggerId the trigger it is an event of
 * @param connection the connection it arrived on
 * @param receivedAt when it was stored
 * @param event the event (conforms to the trigger's schema)
 */
public record TriggerEvent(String id, long sequence, String triggerId, String connection, Instant receivedAt, JsonNode event) {
    public TriggerEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(triggerId, "triggerId");
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(event, "event");
    }
}
