package dev.connectorruntime.wecom.sandbox;

import static dev.connectorruntime.wecom.sandbox.SandboxModule.Endpoint.read;
import static dev.connectorruntime.wecom.sandbox.SandboxModule.Endpoint.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * 客户联系: customer group chats (list, detail, opengid conversion), 「联系我」 contact ways, temporary
 * chats and 「加入群聊」 join ways.
 *
 * <p>Only tokens of the 客户联系 secret or of the app configured as callable by 客户联系 are accepted
 * (48002 otherwise). Group chats whose owner is not in the contacts count as owned by a departed
 * member: listing them needs an owner filter. Contact ways and join ways share the per-corp quota of
 * API-created configurations (41045); temporary contact ways do not count, are single-user only and
 * can no longer be edited once their QR code has expired. Join ways are updated by overwriting:
 * optional fields left out return to their defaults.
 */
final class ExternalContactModule implements SandboxModule {
    static final String GROUP_CHATS = "externalcontact.groupchats";
    static final String OPENGIDS = "externalcontact.opengids";
    static final String CONTACT_WAYS = "externalcontact.contact_ways";
    static final String JOIN_WAYS = "externalcontact.join_ways";
    static final String TEMP_CHATS = "externalcontact.temp_chats";

    private static final Set<String> CREDENTIALS = Set.of("externalcontact", "app");
    private static final String CURSOR_PREFIX = "groupchat:";
    private static final int MAX_LIST_LIMIT = 1000;
    private static final int MAX_OWNER_FILTER = 100;
    private static final int MAX_VISIBLE_WITHOUT_FILTER = 1000;
    private static final int MAX_CONFIGS = 500_000;
    private static final int MAX_CONTACT_WAY_USERS = 100;
    private static final int MAX_JOIN_WAY_CHATS = 5;
    private static final int MAX_REMARK = 30;
    private static final int MAX_STATE = 30;
    private static final int MAX_ROOM_BASE_NAME = 40;
    private static final int MAX_CONCLUSION_TEXT_BYTES = 4000;
    private static final int MAX_LINK_TITLE_BYTES = 128;
    private static final int MAX_LINK_DESC_BYTES = 512;
    private static final int MAX_MINIPROGRAM_TITLE_BYTES = 64;
    private static final long MAX_TEMP_SECONDS = 1_209_600;
    private static final long DEFAULT_TEMP_QR_SECONDS = 604_800;
    private static final long DEFAULT_TEMP_CHAT_SECONDS = 86_400;
    private static final String QR_BASE = "https://wework.qpic.cn/wwpic/";
    private static final String CREATED_AT = "_created_at";

    @Override
    public void seed(SandboxState state, JsonNode seed) {
        JsonNode section = seed.path("externalcontact");
        section.path("groupchats").forEach(g -> state.collection(GROUP_CHATS).put(g.get("chat_id").asText(), seededGroupChat(g)));
        section.path("opengids").fields().forEachRemaining(e -> state.collection(OPENGIDS)
                .put(e.getKey(), Json.object().put("opengid", e.getKey()).put("chat_id", e.getValue().asText())));
        section.path("contactWays").forEach(w -> state.collection(CONTACT_WAYS).put(w.get("config_id").asText(), seededContactWay(w)));
        section.path("joinWays").forEach(w -> state.collection(JOIN_WAYS).put(w.get("config_id").asText(), seededJoinWay(w)));
        section.path("tempChats").forEach(t -> state.collection(TEMP_CHATS)
                .put(tempChatKey(t.get("userid").asText(), t.get("external_userid").asText()), ((ObjectNode) t).deepCopy()));
    }

    @Override
    public Map<String, Endpoint> endpoints() {
        return Map.ofEntries(
                Map.entry("/cgi-bin/externalcontact/groupchat/list", read("POST", customerContactOnly(ExternalContactModule::groupChatList))),
                Map.entry("/cgi-bin/externalcontact/groupchat/get", read("POST", customerContactOnly(ExternalContactModule::groupChatGet))),
                Map.entry("/cgi-bin/externalcontact/opengid_to_chatid", read("POST", customerContactOnly(ExternalContactModule::opengidToChatId))),
                Map.entry("/cgi-bin/externalcontact/add_contact_way", write("POST", customerContactOnly(ExternalContactModule::contactWayAdd))),
                Map.entry("/cgi-bin/externalcontact/get_contact_way", read("POST", customerContactOnly(ExternalContactModule::contactWayGet))),
                Map.entry("/cgi-bin/externalcontact/update_contact_way", write("POST", customerContactOnly(ExternalContactModule::contactWayUpdate))),
                Map.entry("/cgi-bin/externalcontact/del_contact_way", write("POST", customerContactOnly(ExternalContactModule::contactWayDel))),
                Map.entry("/cgi-bin/externalcontact/close_temp_chat", write("POST", customerContactOnly(ExternalContactModule::tempChatClose))),
                Map.entry("/cgi-bin/externalcontact/groupchat/add_join_way", write("POST", customerContactOnly(ExternalContactModule::joinWayAdd))),
                Map.entry("/cgi-bin/externalcontact/groupchat/get_join_way", read("POST", customerContactOnly(ExternalContactModule::joinWayGet))),
                Map.entry("/cgi-bin/externalcontact/groupchat/update_join_way", write("POST", customerContactOnly(ExternalContactModule::joinWayUpdate))),
                Map.entry("/cgi-bin/externalcontact/groupchat/del_join_way", write("POST", customerContactOnly(ExternalContactModule::joinWayDel))));
    }

    /** The most group chats {@link #generateGroupChats} adds in one call. */
    static final int MAX_GENERATED_GROUP_CHATS = 1_000_000;

    /**
     * Adds {@code count} generated customer group chats (for paging and load tests: {@code POST
     * /sandbox/generate {"groupchats": n}}), owned by the first seeded member so that they are listed
     * without an owner filter. Their ids are {@code wr_gen_<n>}; a reset removes them.
     *
     * @return the number of group chats the sandbox now has
     */
    static int generateGroupChats(SandboxState state, int count) {
        if (count < 0 || count > MAX_GENERATED_GROUP_CHATS) {
            throw new IllegalArgumentException("groupchats must be 0 ~ " + MAX_GENERATED_GROUP_CHATS + ": " + count);
        }
        String owner = state.collection(Directory.USERS).values().stream()
                .map(u -> u.path("userid").asText()).filter(id -> !id.isEmpty()).findFirst()
                .orElseThrow(() -> new IllegalStateException("the sandbox has no member to own generated group chats"));
        long createTime = Instant.now().getEpochSecond();
        Map<String, ObjectNode> chats = state.collection(GROUP_CHATS);
        for (int i = 0; i < count; i++) {
            String chatId = "wr_gen_" + state.nextId();
            ObjectNode chat = Json.object()
                    .put("chat_id", chatId)
                    .put("name", "客户群 " + chatId.substring("wr_gen_".length()))
                    .put("owner", owner)
                    .put("create_time", createTime)
                    .put("status", 0)
                    .put("notice", "");
            chat.putArray("member_list").addObject().put("userid", owner).put("type", 1)
                    .put("join_time", createTime).put("join_scene", 1);
            chat.putArray("admin_list");
            chats.put(chatId, chat);
        }
        return chats.size();
    }

    static ObjectNode groupChat(SandboxState state, String chatId) {
        ObjectNode chat = state.find(GROUP_CHATS, chatId);
        if (chat == null) {
            throw new WeComError(90501, "chat_id is not a customer group chat: " + chatId);
        }
        return chat;
    }

    static ObjectNode contactWay(SandboxState state, String configId) {
        ObjectNode way = state.find(CONTACT_WAYS, configId);
        if (way == null) {
            throw new WeComError(41044, "invalid config_id: " + configId);
        }
        return way;
    }

    static ObjectNode joinWay(SandboxState state, String configId) {
        ObjectNode way = state.find(JOIN_WAYS, configId);
        if (way == null) {
            throw new WeComError(41044, "invalid config_id: " + configId);
        }
        return way;
    }

    private static Route customerContactOnly(Route route) {
        return Route.forSecrets(CREDENTIALS, "customer contact APIs need the 客户联系 secret or a callable app's access_token", route);
    }

    private static ObjectNode seededGroupChat(JsonNode seed) {
        ObjectNode chat = ((ObjectNode) seed).deepCopy();
        chat.putIfAbsent("status", IntNode.valueOf(0));
        chat.putIfAbsent("notice", TextNode.valueOf(""));
        chat.withArray("member_list");
        chat.withArray("admin_list");
        return chat;
    }

    private static ObjectNode seededContactWay(JsonNode seed) {
        ObjectNode way = ((ObjectNode) seed).deepCopy();
        way.putIfAbsent("remark", TextNode.valueOf(""));
        way.putIfAbsent("state", TextNode.valueOf(""));
        way.putIfAbsent("skip_verify", BooleanNode.TRUE);
        way.putIfAbsent("is_temp", BooleanNode.FALSE);
        way.putIfAbsent("mark_source", BooleanNode.TRUE);
        way.withArray("user");
        way.withArray("party");
        if (way.path("scene").asInt() == 2) {
            way.putIfAbsent("qr_code", TextNode.valueOf(qrCode(way.get("config_id").asText())));
        }
        return way;
    }

    private static ObjectNode seededJoinWay(JsonNode seed) {
        ObjectNode way = ((ObjectNode) seed).deepCopy();
        way.putIfAbsent("remark", TextNode.valueOf(""));
        way.putIfAbsent("state", TextNode.valueOf(""));
        way.putIfAbsent("auto_create_room", IntNode.valueOf(1));
        way.putIfAbsent("mark_source", BooleanNode.TRUE);
        way.putIfAbsent("qr_code", TextNode.valueOf(qrCode(way.get("config_id").asText())));
        way.withArray("chat_id_list");
        return way;
    }

    private static ObjectNode groupChatList(SandboxRequest request, SandboxState state) {
        int limit = requiredInt(request, "limit");
        if (limit < 1 || limit > MAX_LIST_LIMIT) {
            throw new WeComError(40058, "invalid limit, must be 1 ~ " + MAX_LIST_LIMIT + ": " + limit);
        }
        int statusFilter = optionalInt(request, "status_filter", 0);
        if (statusFilter < 0 || statusFilter > 3) {
            throw new WeComError(40058, "invalid status_filter: " + statusFilter);
        }
        List<ObjectNode> chats = state.collection(GROUP_CHATS).values().stream()
                .filter(ownerFilter(request, state))
                .filter(c -> statusFilter == 0 || c.path("status").asInt() == statusFilter)
                .toList();
        int offset = cursorOffset(request.param("cursor"));
        ArrayNode list = Json.array();
        chats.stream().skip(offset).limit(limit)
                .forEach(c -> list.addObject().put("chat_id", c.get("chat_id").asText()).put("status", c.path("status").asInt()));
        ObjectNode out = Json.object();
        out.set("group_chat_list", list);
        out.put("next_cursor", offset + limit < chats.size() ? cursor(offset + limit) : "");
        return out;
    }

    private static Predicate<ObjectNode> ownerFilter(SandboxRequest request, SandboxState state) {
        JsonNode filter = request.field("owner_filter").path("userid_list");
        if (!filter.isArray()) {
            if (state.collection(Directory.USERS).size() > MAX_VISIBLE_WITHOUT_FILTER) {
                throw new WeComError(81017, "too many members in the app's visible range, use owner_filter");
            }
            return c -> Directory.userExists(state, c.path("owner").asText());
        }
        if (filter.size() > MAX_OWNER_FILTER) {
            throw new WeComError(40058, "owner_filter.userid_list takes at most " + MAX_OWNER_FILTER + " userids");
        }
        Set<String> owners = new LinkedHashSet<>();
        for (String userid : Json.texts(filter)) {
            if (!Directory.userExists(state, userid) && !ownsGroupChat(state, userid)) {
                throw new WeComError(60011, "no permission on owner " + userid + ": not in the app's visible range");
            }
            owners.add(Directory.key(userid));
        }
        return c -> owners.contains(Directory.key(c.path("owner").asText()));
    }

    private static boolean ownsGroupChat(SandboxState state, String userid) {
        return state.collection(GROUP_CHATS).values().stream().anyMatch(c -> c.path("owner").asText().equalsIgnoreCase(userid));
    }

    private static String cursor(int offset) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((CURSOR_PREFIX + offset).getBytes(StandardCharsets.UTF_8));
    }

    private static int cursorOffset(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return 0;
        }
        String decoded = decodeCursor(cursor);
        if (!decoded.matches(CURSOR_PREFIX + "\\d{1,9}")) {
            throw new WeComError(50100, "invalid cursor: " + cursor);
        }
        return Integer.parseInt(decoded.substring(CURSOR_PREFIX.length()));
    }

    private static String decodeCursor(String cursor) {
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static ObjectNode groupChatGet(SandboxRequest request, SandboxState state) {
        ObjectNode chat = groupChat(state, request.required("chat_id"));
        boolean needName = optionalInt(request, "need_name", 0) == 1;
        ObjectNode view = chat.deepCopy();
        view.remove("status");
        ArrayNode members = view.withArray("member_list");
        members.forEach(m -> memberView((ObjectNode) m, state, needName));
        view.put("member_version", memberVersion(chat.withArray("member_list")));
        ObjectNode out = Json.object();
        out.set("group_chat", view);
        return out;
    }

    private static void memberView(ObjectNode member, SandboxState state, boolean needName) {
        if (!needName) {
            member.remove("name");
            return;
        }
        String userid = member.path("userid").asText();
        if (member.path("type").asInt() == 1 && Directory.userExists(state, userid)) {
            member.put("name", Directory.user(state, userid).path("name").asText());
        }
    }

    private static String memberVersion(ArrayNode members) {
        StringBuilder text = new StringBuilder();
        members.forEach(m -> text.append(m.path("userid").asText()).append('@').append(m.path("join_time").asLong()).append(';'));
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode opengidToChatId(SandboxRequest request, SandboxState state) {
        String opengid = request.required("opengid");
        ObjectNode mapping = state.find(OPENGIDS, opengid);
        if (mapping == null) {
            throw new WeComError(90511, "opengid not exists or invalid: " + opengid);
        }
        String chatId = mapping.get("chat_id").asText();
        if (state.find(GROUP_CHATS, chatId) == null) {
            throw new WeComError(90509, "not a WeCom customer group chat: " + opengid);
        }
        return Json.object().put("chat_id", chatId);
    }

    private static ObjectNode contactWayAdd(SandboxRequest request, SandboxState state) {
        int type = enumInt(request, "type", Set.of(1, 2), 41037, 41039);
        int scene = enumInt(request, "scene", Set.of(1, 2), 41038, 41040);
        boolean temp = optionalBoolean(request, "is_temp", false);
        if (temp && type != 1) {
            throw new WeComError(40058, "is_temp is only supported by single-user contact ways (type 1)");
        }
        if (!temp && configCount(state) >= MAX_CONFIGS) {
            throw new WeComError(41045, "API-created contact ways reached the limit of " + MAX_CONFIGS);
        }
        ObjectNode way = Json.object();
        way.put("config_id", "");
        way.put("type", type);
        way.put("scene", scene);
        if (request.body().has("style")) {
            way.put("style", style(request, type));
        }
        way.put("remark", optionalText(request, "remark", MAX_REMARK, ""));
        way.put("skip_verify", optionalBoolean(request, "skip_verify", true));
        way.put("state", optionalText(request, "state", MAX_STATE, ""));
        assignUsers(way, request.field("user"), request.field("party"), state);
        way.put("is_temp", temp);
        way.put("is_exclusive", optionalBoolean(request, "is_exclusive", false));
        way.put("mark_source", optionalBoolean(request, "mark_source", true));
        if (temp) {
            way.put("expires_in", tempSeconds(request, "expires_in", DEFAULT_TEMP_QR_SECONDS));
            way.put("chat_expires_in", tempSeconds(request, "chat_expires_in", DEFAULT_TEMP_CHAT_SECONDS));
            way.put("unionid", optionalText(request, "unionid", Integer.MAX_VALUE, ""));
            if (request.body().has("conclusions")) {
                way.set("conclusions", conclusions(request.field("conclusions")));
            }
        }
        way.put(CREATED_AT, Instant.now().getEpochSecond());
        String configId = state.nextId("cw_");
        way.put("config_id", configId);
        ObjectNode out = Json.object().put("config_id", configId);
        if (scene == 2) {
            way.put("qr_code", qrCode(configId));
            out.put("qr_code", qrCode(configId));
        }
        state.collection(CONTACT_WAYS).put(configId, way);
        return out;
    }

    private static int style(SandboxRequest request, int type) {
        JsonNode node = request.field("style");
        int style = node.isIntegralNumber() ? node.asInt() : 0;
        if (style < 1 || style > 3 || (type == 2 && style == 3)) {
            throw new WeComError(41042, "invalid style " + node + " for contact way type " + type);
        }
        return style;
    }

    private static void assignUsers(ObjectNode way, JsonNode users, JsonNode parties, SandboxState state) {
        int type = way.get("type").asInt();
        ArrayNode userList = users.isMissingNode() || users.isNull() ? Json.array() : canonicalUsers(users, state);
        ArrayNode partyList = type == 2 && parties.isArray() ? checkedParties(parties, state) : Json.array();
        if (type == 1 && userList.isEmpty()) {
            throw WeComError.missing("user");
        }
        if (type == 1 && userList.size() > 1) {
            throw new WeComError(41041, "a single-user contact way (type 1) takes exactly one user");
        }
        if (type == 2 && userList.isEmpty() && partyList.isEmpty()) {
            throw new WeComError(40058, "missing user or party");
        }
        if (headcount(userList, partyList, state) > MAX_CONTACT_WAY_USERS) {
            throw new WeComError(41041, "a contact way takes at most " + MAX_CONTACT_WAY_USERS + " users, departments expanded");
        }
        way.set("user", userList);
        way.set("party", partyList);
    }

    private static ArrayNode canonicalUsers(JsonNode users, SandboxState state) {
        if (!users.isArray()) {
            throw new WeComError(40058, "user must be an array of userids");
        }
        Map<String, String> canonical = new LinkedHashMap<>();
        for (String userid : Json.texts(users)) {
            if (!Directory.userExists(state, userid)) {
                throw new WeComError(60011, "no permission on user " + userid + ": not in the app's visible range");
            }
            ObjectNode user = Directory.user(state, userid);
            if (user.path("status").asInt(1) != 1) {
                throw new WeComError(41054, "user " + userid + " is not activated");
            }
            canonical.putIfAbsent(Directory.key(userid), user.get("userid").asText());
        }
        return Json.array(canonical.values());
    }

    private static ArrayNode checkedParties(JsonNode parties, SandboxState state) {
        ArrayNode out = Json.array();
        for (JsonNode party : parties) {
            if (!party.canConvertToLong() || state.find(Directory.DEPARTMENTS, Long.toString(party.asLong())) == null) {
                throw new WeComError(60011, "no permission on department " + party + ": not in the app's visible range");
            }
            Json.addNumber(out, party.asLong());
        }
        return out;
    }

    private static int headcount(ArrayNode users, ArrayNode parties, SandboxState state) {
        Set<String> people = new LinkedHashSet<>();
        users.forEach(u -> people.add(Directory.key(u.asText())));
        Set<Long> departments = new LinkedHashSet<>();
        parties.forEach(p -> {
            departments.add(p.asLong());
            departments.addAll(Directory.descendants(state, p.asLong()));
        });
        for (ObjectNode user : state.collection(Directory.USERS).values()) {
            for (JsonNode d : user.path("department")) {
                if (departments.contains(d.asLong())) {
                    people.add(Directory.key(user.get("userid").asText()));
                }
            }
        }
        return people.size();
    }

    private static long tempSeconds(SandboxRequest request, String name, long fallback) {
        JsonNode node = request.field(name);
        if (node.isMissingNode() || node.isNull()) {
            return fallback;
        }
        if (!node.isIntegralNumber() || node.asLong() < 1 || node.asLong() > MAX_TEMP_SECONDS) {
            throw new WeComError(40058, name + " must be 1 ~ " + MAX_TEMP_SECONDS + " seconds: " + node);
        }
        return node.asLong();
    }

    private static ObjectNode conclusions(JsonNode input) {
        if (!input.isObject()) {
            throw new WeComError(40058, "conclusions must be an object");
        }
        ObjectNode out = Json.object();
        JsonNode text = input.path("text");
        if (!text.path("content").asText("").isEmpty()) {
            checkBytes("conclusions.text.content", text.path("content").asText(), MAX_CONCLUSION_TEXT_BYTES);
            out.putObject("text").put("content", text.path("content").asText());
        }
        if (!input.path("image").path("media_id").asText("").isEmpty()) {
            out.putObject("image").put("pic_url", QR_BASE + input.path("image").path("media_id").asText() + "/0");
        } else if (input.path("link").isObject() && !input.path("link").isEmpty()) {
            out.set("link", conclusionLink(input.path("link")));
        } else if (input.path("miniprogram").isObject() && !input.path("miniprogram").isEmpty()) {
            out.set("miniprogram", conclusionMiniprogram(input.path("miniprogram")));
        }
        if (out.isEmpty()) {
            throw new WeComError(40058, "conclusions: text, image, link and miniprogram cannot all be empty");
        }
        return out;
    }

    private static ObjectNode conclusionLink(JsonNode link) {
        checkBytes("conclusions.link.title", link.path("title").asText(""), MAX_LINK_TITLE_BYTES);
        checkBytes("conclusions.link.desc", link.path("desc").asText(""), MAX_LINK_DESC_BYTES);
        if (link.path("url").asText("").isEmpty()) {
            throw WeComError.missing("url");
        }
        return ((ObjectNode) link).deepCopy();
    }

    private static ObjectNode conclusionMiniprogram(JsonNode miniprogram) {
        checkBytes("conclusions.miniprogram.title", miniprogram.path("title").asText(""), MAX_MINIPROGRAM_TITLE_BYTES);
        for (String field : List.of("appid", "page")) {
            if (miniprogram.path(field).asText("").isEmpty()) {
                throw WeComError.missing(field);
            }
        }
        return ((ObjectNode) miniprogram).deepCopy();
    }

    private static void checkBytes(String name, String value, int maxBytes) {
        if (value.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            throw new WeComError(40058, name + " exceeds " + maxBytes + " bytes");
        }
    }

    private static ObjectNode contactWayGet(SandboxRequest request, SandboxState state) {
        ObjectNode view = contactWay(state, request.required("config_id")).deepCopy();
        view.remove(CREATED_AT);
        if (view.path("scene").asInt() != 1) {
            view.remove("style");
        }
        ObjectNode out = Json.object();
        out.set("contact_way", view);
        return out;
    }

    private static ObjectNode contactWayUpdate(SandboxRequest request, SandboxState state) {
        ObjectNode way = contactWay(state, request.required("config_id"));
        boolean temp = way.path("is_temp").asBoolean();
        if (temp && tempQrExpired(way)) {
            throw new WeComError(41044, "invalid config_id: the temporary contact way has expired");
        }
        ObjectNode updated = way.deepCopy();
        if (request.body().has("style")) {
            updated.put("style", style(request, way.get("type").asInt()));
        }
        if (request.body().has("remark")) {
            updated.put("remark", optionalText(request, "remark", MAX_REMARK, ""));
        }
        if (request.body().has("state")) {
            updated.put("state", optionalText(request, "state", MAX_STATE, ""));
        }
        if (request.body().has("skip_verify")) {
            updated.put("skip_verify", optionalBoolean(request, "skip_verify", true));
        }
        if (request.body().has("mark_source")) {
            updated.put("mark_source", optionalBoolean(request, "mark_source", true));
        }
        if (request.body().has("user") || request.body().has("party")) {
            JsonNode users = request.body().has("user") ? request.field("user") : way.get("user");
            JsonNode parties = request.body().has("party") ? request.field("party") : way.get("party");
            assignUsers(updated, users, parties, state);
        }
        if (temp) {
            updateTempFields(updated, request);
        }
        way.removeAll();
        way.setAll(updated);
        return Json.object();
    }

    private static boolean tempQrExpired(ObjectNode way) {
        long createdAt = way.path(CREATED_AT).asLong(Instant.now().getEpochSecond());
        long expiresIn = way.path("expires_in").asLong(DEFAULT_TEMP_QR_SECONDS);
        return Instant.now().getEpochSecond() > createdAt + expiresIn;
    }

    private static void updateTempFields(ObjectNode way, SandboxRequest request) {
        if (request.body().has("expires_in")) {
            way.put("expires_in", tempSeconds(request, "expires_in", DEFAULT_TEMP_QR_SECONDS));
        }
        if (request.body().has("chat_expires_in")) {
            way.put("chat_expires_in", tempSeconds(request, "chat_expires_in", DEFAULT_TEMP_CHAT_SECONDS));
        }
        if (request.body().has("unionid")) {
            way.put("unionid", optionalText(request, "unionid", Integer.MAX_VALUE, ""));
        }
        if (request.body().has("conclusions")) {
            way.set("conclusions", conclusions(request.field("conclusions")));
        }
    }

    private static ObjectNode contactWayDel(SandboxRequest request, SandboxState state) {
        String configId = request.required("config_id");
        contactWay(state, configId);
        state.collection(CONTACT_WAYS).remove(configId);
        return Json.object();
    }

    private static ObjectNode tempChatClose(SandboxRequest request, SandboxState state) {
        String userid = request.required("userid");
        String externalUserid = request.required("external_userid");
        Directory.user(state, userid);
        if (!externalUserid.startsWith("wm") && !externalUserid.startsWith("wo")) {
            throw new WeComError(40096, "invalid external_userid: " + externalUserid);
        }
        if (state.collection(TEMP_CHATS).remove(tempChatKey(userid, externalUserid)) == null) {
            throw new WeComError(84061, "no temporary chat between " + userid + " and " + externalUserid);
        }
        return Json.object();
    }

    private static String tempChatKey(String userid, String externalUserid) {
        return Directory.key(userid) + "|" + externalUserid;
    }

    private static ObjectNode joinWayAdd(SandboxRequest request, SandboxState state) {
        if (configCount(state) >= MAX_CONFIGS) {
            throw new WeComError(41045, "API-created join ways reached the limit of " + MAX_CONFIGS);
        }
        ObjectNode content = joinWayContent(request, state);
        String configId = state.nextId("jw_");
        ObjectNode way = Json.object().put("config_id", configId);
        way.setAll(content);
        way.put("qr_code", qrCode(configId));
        state.collection(JOIN_WAYS).put(configId, way);
        return Json.object().put("config_id", configId);
    }

    private static ObjectNode joinWayContent(SandboxRequest request, SandboxState state) {
        ObjectNode way = Json.object();
        way.put("scene", enumInt(request, "scene", Set.of(1, 2), 40058, 40058));
        way.put("remark", truncate(request.param("remark"), MAX_REMARK));
        int autoCreateRoom = request.body().has("auto_create_room") ? enumInt(request, "auto_create_room", Set.of(0, 1), 40058, 40058) : 1;
        way.put("auto_create_room", autoCreateRoom);
        if (autoCreateRoom == 1) {
            if (request.body().has("room_base_name")) {
                way.put("room_base_name", optionalText(request, "room_base_name", MAX_ROOM_BASE_NAME, ""));
            }
            if (request.body().has("room_base_id")) {
                way.put("room_base_id", optionalInt(request, "room_base_id", 0));
            }
        }
        way.set("chat_id_list", chatIdList(request.requiredField("chat_id_list"), state));
        way.put("state", optionalText(request, "state", MAX_STATE, ""));
        way.put("mark_source", optionalBoolean(request, "mark_source", true));
        return way;
    }

    private static ArrayNode chatIdList(JsonNode input, SandboxState state) {
        if (!input.isArray() || input.isEmpty()) {
            throw new WeComError(40058, "chat_id_list must list at least one customer group chat");
        }
        Set<String> chatIds = new LinkedHashSet<>(Json.texts(input));
        if (chatIds.size() > MAX_JOIN_WAY_CHATS) {
            throw new WeComError(41091, "a join way links at most " + MAX_JOIN_WAY_CHATS + " group chats");
        }
        chatIds.forEach(id -> groupChat(state, id));
        return Json.array(chatIds);
    }

    private static ObjectNode joinWayGet(SandboxRequest request, SandboxState state) {
        ObjectNode out = Json.object();
        out.set("join_way", joinWay(state, request.required("config_id")).deepCopy());
        return out;
    }

    private static ObjectNode joinWayUpdate(SandboxRequest request, SandboxState state) {
        String configId = request.required("config_id");
        ObjectNode way = joinWay(state, configId);
        ObjectNode content = joinWayContent(request, state);
        String qrCode = way.path("qr_code").asText(qrCode(configId));
        way.removeAll();
        way.put("config_id", configId);
        way.setAll(content);
        way.put("qr_code", qrCode);
        return Json.object();
    }

    private static ObjectNode joinWayDel(SandboxRequest request, SandboxState state) {
        String configId = request.required("config_id");
        joinWay(state, configId);
        state.collection(JOIN_WAYS).remove(configId);
        return Json.object();
    }

    private static int configCount(SandboxState state) {
        long contactWays = state.collection(CONTACT_WAYS).values().stream().filter(w -> !w.path("is_temp").asBoolean()).count();
        return (int) contactWays + state.collection(JOIN_WAYS).size();
    }

    private static String qrCode(String configId) {
        return QR_BASE + configId + "/0";
    }

    private static int requiredInt(SandboxRequest request, String name) {
        JsonNode node = request.requiredField(name);
        if (!node.isIntegralNumber() && !node.asText().matches("-?\\d{1,9}")) {
            throw new WeComError(40058, "invalid " + name + ": " + node);
        }
        return node.asInt();
    }

    private static int optionalInt(SandboxRequest request, String name, int fallback) {
        JsonNode node = request.field(name);
        return node.isMissingNode() || node.isNull() ? fallback : requiredInt(request, name);
    }

    private static int enumInt(SandboxRequest request, String name, Set<Integer> allowed, int missingCode, int invalidCode) {
        JsonNode node = request.field(name);
        if (node.isMissingNode() || node.isNull()) {
            throw new WeComError(missingCode, "missing " + name);
        }
        if (!node.isIntegralNumber() || !allowed.contains(node.asInt())) {
            throw new WeComError(invalidCode, "invalid " + name + ": " + node);
        }
        return node.asInt();
    }

    private static boolean optionalBoolean(SandboxRequest request, String name, boolean fallback) {
        JsonNode node = request.field(name);
        if (node.isMissingNode() || node.isNull()) {
            return fallback;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            return node.asInt() != 0;
        }
        throw new WeComError(40058, "invalid " + name + ", expected a boolean: " + node);
    }

    private static String optionalText(SandboxRequest request, String name, int maxLength, String fallback) {
        JsonNode node = request.field(name);
        if (node.isMissingNode() || node.isNull()) {
            return fallback;
        }
        String value = node.asText();
        if (value.codePointCount(0, value.length()) > maxLength) {
            throw new WeComError(40058, name + " exceeds " + maxLength + " characters");
        }
        return value;
    }

    private static String truncate(String value, int maxLength) {
        if (value == null) {
            return "";
        }
        return value.codePointCount(0, value.length()) <= maxLength ? value : value.substring(0, value.offsetByCodePoints(0, maxLength));
    }
}
