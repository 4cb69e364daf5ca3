package dev.connectorruntime.wecom.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** 群聊会话: application group chats. */
final class AppChatModule implements SandboxModule {

    @Override
    public void seed(SandboxState state, JsonNode seed) {
    }

    @Override
    public Map<String, Endpoint> endpoints() {
        return Map.of();
    }
}
