package dev.connectorruntime.spi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One event decoded from a genuine callback.
 *
 * @param triggerId the trigger it matched
 * @param event the event as workflows see it (conforms to the trigger's schema)
 * @param dedupKey identifies the upstream event across resends and replays: two deliveries of the same
 *     event have the same key, two different events never do
 */
public record InboundEvent(String triggerId, JsonNode event, String dedupKey) {
    public InboundEvent {
        Objects.requireNonNull(triggerId, "triggerId");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(dedupKey, "dedupKey");
    }
}
