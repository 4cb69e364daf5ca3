package dev.connectorruntime.wecom.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** 日程: calendars and schedules. */
final class CalendarModule implements SandboxModule {

    @Override
    public void seed(SandboxState state, JsonNode seed) {
    }

    @Override
    public Map<String, Endpoint> endpoints() {
        return Map.of();
    }
}
