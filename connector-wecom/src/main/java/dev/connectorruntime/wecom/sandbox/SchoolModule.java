package dev.connectorruntime.wecom.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** 家校沟通: school departments, students, parents, subscriptions and messages. */
final class SchoolModule implements SandboxModule {

    @Override
    public void seed(SandboxState state, JsonNode seed) {
    }

    @Override
    public Map<String, Endpoint> endpoints() {
        return Map.of();
    }
}
