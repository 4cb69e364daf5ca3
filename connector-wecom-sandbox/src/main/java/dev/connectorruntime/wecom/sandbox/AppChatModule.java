package dev.connectorruntime.wecom.sandbox;

import static dev.connectorruntime.wecom.sandbox.SandboxModule.Endpoint.read;
import static dev.connectorruntime.wecom.sandbox.SandboxModule.Endpoint.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * 群聊会话: the group chats of the sandbox's one app, so every chat counts as created by the caller
 * (appchat needs an app's token: 48002 otherwise). Userids match case-insensitively and are kept as
 * contacts spell them. A chat has 2..2000 members (86006); an unknown member, or removing one who is
 * not in the chat, answers 86216; an owner who is not a contact 86005, not a member 86207; removing
 * the owner without naming a new one 86203. A chatid of your own is at most 32 letters or digits
 * (86205 / 86001) and new (86215); without one the sandbox makes one, and without an owner the first
 * member owns the chat. Names are cut to 50 characters, as WeCom does. Sent messages pass
 * message/send's content checks and are kept in {@link #SENT}.
 */
final class AppChatModule implements SandboxModule {
    static final String APPCHATS = "appchats";
    static final String SENT = "appchats.messages";
    private static final Pattern CHATID = Pattern.compile("[0-9a-zA-Z]+");
    private static final int MAX_CHATID = 32;
    private static final int MIN_MEMBERS = 2;
    private static final int MAX_MEMBERS = 2000;
    private static final int MAX_NAME = 50;

    @Override
    public void seed(SandboxState state, JsonNode seed) {
        seed.path("appchats").forEach(c -> {
            ObjectNode chat = ((ObjectNode) c).deepCopy();
            if (!chat.has("chat_type")) {
                chat.put("chat_type", 0);
            }
            state.collection(APPCHATS).put(chat.get("chatid").asText(), chat);
        });
    }

    @Override
    public Map<String, Endpoint> endpoints() {
        return Map.of(
                "/cgi-bin/appchat/create", write("POST", appOnly(AppChatModule::create)),
                "/cgi-bin/appchat/get", read("GET", appOnly(AppChatModule::get)),
                "/cgi-bin/appchat/update", write("POST", appOnly(AppChatModule::update)),
                "/cgi-bin/appchat/send", write("POST", appOnly(AppChatModule::send)));
    }

    static ObjectNode chat(SandboxState state, String chatid) {
        ObjectNode chat = state.find(APPCHATS, chatid);
        if (chat == null) {
            throw new WeComError(86003, "chatid not found");
        }
        return chat;
    }

    private static Route appOnly(Route route) {
        return Route.forSecrets(Set.of("app"), "appchat needs an app's access_token", route);
    }

    private static ObjectNode create(SandboxRequest request, SandboxState state) {
        JsonNode userlist = request.field("userlist");
        if (!userlist.isArray() || userlist.isEmpty()) {
            throw new WeComError(86204, "missing userlist");
        }
        List<String> members = new ArrayList<>();
        Json.texts(userlist).forEach(userid -> addMember(state, members, userid));
        checkMemberCount(members);
        String owner = request.param("owner");
        owner = owner == null || owner.isEmpty() ? members.get(0) : contactUserid(state, owner);
        checkOwnerIsMember(members, owner);
        String chatid = request.param("chatid");
        chatid = chatid == null || chatid.isEmpty() ? newChatid(state) : checkedChatid(state, chatid);
        ObjectNode chat = Json.object()
                .put("chatid", chatid)
                .put("name", name(request.param("name")))
                .put("owner", owner)
                .put("chat_type", 0);
        chat.set("userlist", Json.array(members));
        state.collection(APPCHATS).put(chatid, chat);
        return Json.object().put("chatid", chatid);
    }

    private static ObjectNode get(SandboxRequest request, SandboxState state) {
        ObjectNode out = Json.object();
        out.set("chat_info", chat(state, requiredChatid(request)).deepCopy());
        return out;
    }

    private static ObjectNode update(SandboxRequest request, SandboxState state) {
        ObjectNode chat = chat(state, requiredChatid(request));
        List<String> members = new ArrayList<>(Json.texts(chat.get("userlist")));
        Json.texts(request.field("add_user_list")).forEach(userid -> addMember(state, members, userid));
        Json.texts(request.field("del_user_list")).forEach(userid -> removeMember(members, userid));
        checkMemberCount(members);
        String newOwner = request.param("owner");
        String owner = newOwner == null || newOwner.isEmpty() ? chat.path("owner").asText() : contactUserid(state, newOwner);
        if ((newOwner == null || newOwner.isEmpty()) && indexOf(members, owner) < 0) {
            throw new WeComError(86203, "missing owner: the owner leaves the chat, name a new one");
        }
        checkOwnerIsMember(members, owner);
        if (request.param("name") != null) {
            chat.put("name", name(request.param("name")));
        }
        chat.put("owner", owner);
        chat.set("userlist", Json.array(members));
        return Json.object();
    }

    private static ObjectNode send(SandboxRequest request, SandboxState state) {
        String chatid = requiredChatid(request);
        chat(state, chatid);
        request.required("msgtype");
        ObjectNode message = request.body().deepCopy();
        MessageModule.checkContent(state, message, MessageModule.APPCHAT_TYPES);
        state.collection(SENT).put(state.nextId("appchat_msg_"), message);
        return Json.object();
    }

    private static String requiredChatid(SandboxRequest request) {
        String chatid = request.param("chatid");
        if (chatid == null || chatid.isEmpty()) {
            throw new WeComError(86201, "missing chatid");
        }
        return chatid;
    }

    private static String checkedChatid(SandboxState state, String chatid) {
        if (state.find(APPCHATS, chatid) != null) {
            throw new WeComError(86215, "chatid existed");
        }
        if (chatid.length() > MAX_CHATID) {
            throw new WeComError(86205, "chatid too long: at most " + MAX_CHATID + " characters");
        }
        if (!CHATID.matcher(chatid).matches()) {
            throw new WeComError(86001, "invalid chatid: only letters and digits");
        }
        return chatid;
    }

    private static String newChatid(SandboxState state) {
        String chatid = state.nextId("wrchat");
        while (state.find(APPCHATS, chatid) != null) {
            chatid = state.nextId("wrchat");
        }
        return chatid;
    }

    private static String name(String name) {
        if (name == null) {
            return "";
        }
        return name.codePointCount(0, name.length()) <= MAX_NAME ? name : name.substring(0, name.offsetByCodePoints(0, MAX_NAME));
    }

    private static String contactUserid(SandboxState state, String userid) {
        if (!Directory.userExists(state, userid)) {
            throw new WeComError(86005, "invalid owner: " + userid + " is not a member of the corp");
        }
        return Directory.user(state, userid).get("userid").asText();
    }

    private static void addMember(SandboxState state, List<String> members, String userid) {
        if (!Directory.userExists(state, userid)) {
            throw new WeComError(86216, "existed invalid chat member id: " + userid);
        }
        String canonical = Directory.user(state, userid).get("userid").asText();
        if (indexOf(members, canonical) < 0) {
            members.add(canonical);
        }
    }

    private static void removeMember(List<String> members, String userid) {
        int index = indexOf(members, userid);
        if (index < 0) {
            throw new WeComError(86216, "existed invalid chat member id: " + userid + " is not in the chat");
        }
        members.remove(index);
    }

    private static void checkMemberCount(List<String> members) {
        if (members.size() < MIN_MEMBERS || members.size() > MAX_MEMBERS) {
            throw new WeComError(86006, "invalid chat member count " + members.size() + ": must be " + MIN_MEMBERS + ".." + MAX_MEMBERS);
        }
    }

    private static void checkOwnerIsMember(List<String> members, String owner) {
        if (indexOf(members, owner) < 0) {
            throw new WeComError(86207, "owner " + owner + " is not in the chat's userlist");
        }
    }

    private static int indexOf(List<String> members, String userid) {
        for (int i = 0; i < members.size(); i++) {
            if (members.get(i).equalsIgnoreCase(userid)) {
                return i;
            }
        }
        return -1;
    }
}
