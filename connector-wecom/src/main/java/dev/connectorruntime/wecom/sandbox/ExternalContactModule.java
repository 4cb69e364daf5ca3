package dev.connectorruntime.wecom.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** 客户联系: customer group chats, contact ways, join ways and temporary chats. */
final class ExternalContactModule implements SandboxModule {

    @Override
    public void seed(SandboxState state, JsonNode seed) {
    }

    @Override
    public Map<String, Endpoint> endpoints() {
        return Map.of();
    }
}
