package dev.connectorruntime.host.triggers;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * The state of one event's delivery to one subscription.
 *
 * @param payload the exact body POSTed (kept so a dead letter can be redelivered after the event expired)
 * @param lastStatus the receiver's last HTTP status, 0 when it could not be reached
 */
public record DeliveryRecord(String subscriptionId, String eventId, long sequence, Status status, int attempts,
                             int lastStatus, String lastError, Instant firstAttemptAt, Instant updatedAt, String payload) {

    public enum Status {
        /** The receiver answered 2xx. */
        DELIVERED,
        /** Failed so far; retried with backoff (later events of the subscription wait behind it). */
        RETRYING,
        /** Retries exhausted: a dead letter, until redelivered. */
        DEAD,
        /** A dead letter asked to be sent again. */
        REDELIVER
    }

    DeliveryRecord with(Status newStatus, int newAttempts, int status, String error, Instant now) {
        return new DeliveryRecord(subscriptionId, eventId, sequence, newStatus, newAttempts, status, error,
                firstAttemptAt, now, payload);
    }

    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("eventId", eventId).put("sequence", sequence).put("status", status.name().toLowerCase(java.util.Locale.ROOT))
                .put("attempts", attempts).put("lastStatus", lastStatus);
        if (lastError != null) {
            json.put("lastError", lastError);
        }
        json.put("firstAttemptAt", firstAttemptAt.toString()).put("updatedAt", updatedAt.toString());
        return json;
    }

    /** The stored form: {@link #toJson()} plus the subscription and the payload. */
    ObjectNode toStored() {
        return toJson().put("subscriptionId", subscriptionId).put("payload", payload);
    }

    static DeliveryRecord fromStored(com.fasterxml.jackson.databind.JsonNode json) {
        return new DeliveryRecord(json.path("subscriptionId").asText(), json.path("eventId").asText(),
                json.path("sequence").asLong(), Status.valueOf(json.path("status").asText().toUpperCase(java.util.Locale.ROOT)),
                json.path("attempts").asInt(), json.path("lastStatus").asInt(),
                json.hasNonNull("lastError") ? json.get("lastError").asText() : null,
                Instant.parse(json.path("firstAttemptAt").asText()), Instant.parse(json.path("updatedAt").asText()),
                json.path("payload").asText());
    }
}
