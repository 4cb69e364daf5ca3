package dev.connectorruntime.host.format;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connectorruntime.spi.ActionDescriptor;

/** An action as listings show it (CLI {@code actions --json}, {@code GET /api/actions}). */
public final class ActionSummary {
    private ActionSummary() {}

    public static ObjectNode of(ActionDescriptor action) {
        return Json.MAPPER.createObjectNode()
                .put("id", action.id())
                .put("title", action.title())
                .put("titleEn", action.titleEn())
                .put("category", action.category())
                .put("description", action.description())
                .put("docUrl", action.docUrl())
                .put("method", action.http().method().name())
                .put("path", action.http().path())
                .put("safeToRepeat", action.safeToRepeat());
    }
}
