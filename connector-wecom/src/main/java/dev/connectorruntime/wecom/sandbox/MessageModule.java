package dev.connectorruntime.wecom.sandbox;

import static dev.connectorruntime.wecom.sandbox.SandboxModule.Endpoint.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** 消息推送: application messages. Sent messages are kept (recipients, content) for recall and tests. */
final class MessageModule implements SandboxModule {
    static final String MESSAGES = "messages";

    @Override
    public void seed(SandboxState state, JsonNode seed) {
        seed.path("messages").forEach(m -> state.collection(MESSAGES).put(m.get("msgid").asText(), ((ObjectNode) m).deepCopy()));
    }

    @Override
    public Map<String, Endpoint> endpoints() {
        return Map.of("/cgi-bin/message/send", write("POST", MessageModule::send));
    }

    private static ObjectNode send(SandboxRequest request, SandboxState state) {
        String msgtype = request.required("msgtype");
        request.required("agentid");
        if (!request.body().has(msgtype)) {
            throw new WeComError(40008, "invalid message type: missing " + msgtype + " body");
        }
        List<String> invalidUsers = new ArrayList<>();
        int valid = 0;
        String touser = request.param("touser");
        if ("@all".equals(touser)) {
            valid++;
        } else if (touser != null && !touser.isEmpty()) {
            for (String userid : touser.split("\\|")) {
                if (ContactModule.userExists(state, userid.trim())) {
                    valid++;
                } else {
                    invalidUsers.add(userid.trim().toLowerCase());
                }
            }
        }
        valid += count(request.param("toparty")) + count(request.param("totag"));
        if (valid == 0) {
            throw new WeComError(81013, "user & party & tag all invalid");
        }
        String msgid = state.nextId("msg_");
        ObjectNode stored = request.body().deepCopy();
        stored.put("msgid", msgid);
        state.collection(MESSAGES).put(msgid, stored);
        ObjectNode out = Json.object();
        out.put("invaliduser", String.join("|", invalidUsers));
        out.put("invalidparty", "");
        out.put("invalidtag", "");
        out.put("unlicenseduser", "");
        out.put("msgid", msgid);
        return out;
    }

    private static int count(String ids) {
        return ids == null || ids.isBlank() ? 0 : ids.split("\\|").length;
    }
}
