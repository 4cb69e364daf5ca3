package dev.connectorruntime.host.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Instant;
import java.util.Objects;

/**
 * A webhook subscription: the events its filter wants (one trigger, one connection or any, field
 * conditions) are POSTed to {@code url}, signed with {@code secret}.
 */
public record WebhookSubscription(String id, EventFilter filter, URI url, String secret, Instant createdAt) {
    public WebhookSubscription {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(filter.triggerId(), "filter.triggerId");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    public String triggerId() {
        return filter.triggerId();
    }

    /** Whether the event is one this subscription delivers. */
    public boolean wants(TriggerEvent event) {
        return filter.matches(event);
    }

    /** As the API shows it: the secret only when just created (and in the store). */
    public ObjectNode toJson(boolean withSecret) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("id", id).put("trigger", filter.triggerId());
        if (filter.connection() != null) {
            json.put("connection", filter.connection());
        }
        json.set("filter", filter.conditionsJson());
        json.put("url", url.toString()).put("createdAt", createdAt.toString());
        if (withSecret) {
            json.put("secret", secret);
        }
        return json;
    }

    /** Reads the stored form ({@link #toJson(boolean)} with the secret). */
    static WebhookSubscription fromJson(JsonNode json) {
        EventFilter filter = EventFilter.of(json.path("trigger").asText(),
                json.hasNonNull("connection") ? json.get("connection").asText() : null).where(json.get("filter"));
        return new WebhookSubscription(json.path("id").asText(), filter, URI.create(json.path("url").asText()),
                json.path("secret").asText(), Instant.parse(json.path("createdAt").asText()));
    }
}
