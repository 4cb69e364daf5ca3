package dev.connectorruntime.host.format;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connectorruntime.spi.TriggerDescriptor;

/** A trigger as listings show it (CLI {@code triggers --json}, {@code GET /api/triggers}). */
public final class TriggerSummary {
    private TriggerSummary() {}

    public static ObjectNode of(TriggerDescriptor trigger) {
        ObjectNode summary = Json.MAPPER.createObjectNode()
                .put("id", trigger.id())
                .put("title", trigger.title())
                .put("titleEn", trigger.titleEn())
                .put("category", trigger.category())
                .put("description", trigger.description())
                .put("docUrl", trigger.source().path("docUrl").asText(null))
                .put("callbackKind", trigger.callbackKind());
        ObjectNode match = summary.putObject("match");
        if (trigger.match().msgType() != null) {
            match.put("msgType", trigger.match().msgType());
        }
        if (trigger.match().event() != null) {
            match.put("event", trigger.match().event());
        }
        if (trigger.match().changeType() != null) {
            match.put("changeType", trigger.match().changeType());
        }
        return summary;
    }
}
