package dev.connectorruntime.wecom.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** 素材管理: temporary media uploads. */
final class MediaModule implements SandboxModule {

    @Override
    public void seed(SandboxState state, JsonNode seed) {
    }

    @Override
    public Map<String, Endpoint> endpoints() {
        return Map.of();
    }
}
