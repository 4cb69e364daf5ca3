package dev.connectorruntime.wecom.sandbox;

import static dev.connectorruntime.wecom.sandbox.SandboxModule.Endpoint.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * 消息推送: application messages. Sent messages are kept (recipients, content, {@code sentAt} in epoch
 * seconds) for recall and tests. The object named by {@code msgtype} is checked as WeCom does: empty
 * text/markdown content 44004, content over 2048 bytes 45002 (message/send truncates text instead),
 * missing media_id 41006, unknown or expired media or media of another type 40007, missing title /
 * description / url 41016 / 41033 / 41010, more than 8 articles 45008, a confidential news 40074.
 * appchat/send shares these checks. A message sent within the last 24 hours can be recalled once;
 * an older one answers 42052, and since the recall page documents no code for an unknown or already
 * recalled msgid, that answers 40058 (invalid parameter). A seed message's {@code sentAt} is
 * "recent" (the sandbox's start), epoch seconds, or an ISO instant.
 */
final class MessageModule implements SandboxModule {
    static final String MESSAGES = "messages";
    static final Set<String> APPCHAT_TYPES = Set.of("text", "image", "voice", "video", "file", "textcard", "news", "mpnews", "markdown");
    private static final Set<String> SEND_TYPES = Set.of("text", "image", "voice", "video", "file", "textcard", "news", "mpnews",
            "markdown", "miniprogram_notice", "template_card");
    private static final Set<String> CARD_TYPES = Set.of("text_notice", "news_notice", "button_interaction", "vote_interaction",
            "multiple_interaction");
    private static final Set<String> INTERACTIVE_CARDS = Set.of("button_interaction", "vote_interaction", "multiple_interaction");
    private static final int MAX_CONTENT_BYTES = 2048;
    private static final int MAX_MPNEWS_CONTENT_BYTES = 666 * 1024;
    private static final int MAX_ARTICLES = 8;
    private static final int MAX_USERS = 1000;
    private static final int MAX_PARTIES = 100;
    private static final int MAX_TAGS = 100;
    private static final Duration RECALL_WINDOW = Duration.ofHours(24);

    @Override
    public void seed(SandboxState state, JsonNode seed) {
        long now = Instant.now().getEpochSecond();
        seed.path("messages").forEach(m -> {
            ObjectNode message = ((ObjectNode) m).deepCopy();
            message.put("sentAt", seededSentAt(message, now));
            state.collection(MESSAGES).put(message.get("msgid").asText(), message);
        });
    }

    private static long seededSentAt(ObjectNode message, long now) {
        JsonNode sentAt = message.path("sentAt");
        if (sentAt.isMissingNode() || "recent".equals(sentAt.asText())) {
            return now;
        }
        if (sentAt.isNumber()) {
            return sentAt.asLong();
        }
        try {
            return Instant.parse(sentAt.asText()).getEpochSecond();
        } catch (DateTimeParseException e) {
            throw new IllegalStateException("seed message " + message.path("msgid").asText()
                    + ": sentAt must be \"recent\", epoch seconds or an ISO instant, not " + sentAt, e);
        }
    }

    @Override
    public Map<String, Endpoint> endpoints() {
        return Map.of(
                "/cgi-bin/message/send", write("POST", MessageModule::send),
                "/cgi-bin/message/recall", write("POST", MessageModule::recall));
    }

    private static ObjectNode send(SandboxRequest request, SandboxState state) {
        ObjectNode message = request.body().deepCopy();
        String msgtype = request.required("msgtype");
        if (!"miniprogram_notice".equals(msgtype)) {
            request.required("agentid");
        }
        truncateText(message);
        checkContent(state, message, SEND_TYPES);
        checkListLength(request.param("touser"), MAX_USERS, 40032, "touser");
        checkListLength(request.param("toparty"), MAX_PARTIES, 82002, "toparty");
        checkListLength(request.param("totag"), MAX_TAGS, 82003, "totag");
        List<String> invalidUsers = new ArrayList<>();
        int valid = 0;
        String touser = request.param("touser");
        if ("@all".equals(touser)) {
            if ("miniprogram_notice".equals(msgtype)) {
                throw new WeComError(40058, "miniprogram_notice does not support touser @all");
            }
            valid++;
        } else if (touser != null && !touser.isEmpty()) {
            for (String userid : touser.split("\\|")) {
                if (Directory.userExists(state, userid.trim())) {
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
        message.put("msgid", msgid);
        message.put("sentAt", Instant.now().getEpochSecond());
        state.collection(MESSAGES).put(msgid, message);
        ObjectNode out = Json.object();
        out.put("invaliduser", String.join("|", invalidUsers));
        out.put("invalidparty", "");
        out.put("invalidtag", "");
        out.put("unlicenseduser", "");
        out.put("msgid", msgid);
        if (returnsResponseCode(message)) {
            out.put("response_code", state.nextId("response_code_"));
        }
        return out;
    }

    private static ObjectNode recall(SandboxRequest request, SandboxState state) {
        String msgid = request.required("msgid");
        ObjectNode message = state.find(MESSAGES, msgid);
        if (message == null || message.path("recalled").asBoolean()) {
            throw new WeComError(40058, "invalid msgid: " + msgid + " is unknown or already recalled");
        }
        Instant sentAt = Instant.ofEpochSecond(message.path("sentAt").asLong());
        if (sentAt.plus(RECALL_WINDOW).isBefore(Instant.now())) {
            throw new WeComError(42052, "msgid expired: only messages sent within 24 hours can be recalled");
        }
        message.put("recalled", true);
        return Json.object();
    }

    /**
     * Checks a message body's {@code msgtype} (one of {@code msgtypes}, else 40008) and the object it
     * names, as message/send and appchat/send do. Returns the msgtype.
     */
    static String checkContent(SandboxState state, ObjectNode body, Set<String> msgtypes) {
        String msgtype = body.path("msgtype").asText();
        if (!msgtypes.contains(msgtype)) {
            throw new WeComError(40008, "invalid message type: " + msgtype);
        }
        JsonNode content = body.path(msgtype);
        switch (msgtype) {
            case "text", "markdown" -> checkTextContent(content.path("content"), MAX_CONTENT_BYTES);
            case "image", "voice", "video", "file" -> checkMedia(state, content.path("media_id"), msgtype);
            case "textcard" -> checkTextcard(content);
            case "news" -> checkArticles(state, content.path("articles"), false);
            case "mpnews" -> checkArticles(state, content.path("articles"), true);
            case "miniprogram_notice" -> checkMiniprogramNotice(content);
            case "template_card" -> checkTemplateCard(content);
            default -> throw new IllegalStateException(msgtype);
        }
        checkSafe(body, msgtype);
        return msgtype;
    }

    private static void truncateText(ObjectNode message) {
        JsonNode content = message.path("text").path("content");
        if ("text".equals(message.path("msgtype").asText()) && content.isTextual()) {
            ((ObjectNode) message.get("text")).put("content", truncate(content.asText(), MAX_CONTENT_BYTES));
        }
    }

    private static String truncate(String text, int maxBytes) {
        if (text.getBytes(StandardCharsets.UTF_8).length <= maxBytes) {
            return text;
        }
        StringBuilder out = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            bytes += new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes > maxBytes) {
                break;
            }
            out.appendCodePoint(codePoint);
            i += Character.charCount(codePoint);
        }
        return out.toString();
    }

    private static void checkTextContent(JsonNode content, int maxBytes) {
        if (!content.isTextual() || content.asText().isEmpty()) {
            throw new WeComError(44004, "empty content");
        }
        if (content.asText().getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            throw new WeComError(45002, "content size out of limit: at most " + maxBytes + " bytes");
        }
    }

    private static void checkMedia(SandboxState state, JsonNode mediaId, String type) {
        if (mediaId.asText().isEmpty()) {
            throw WeComError.missing("media_id");
        }
        MediaModule.media(state, mediaId.asText(), type);
    }

    private static void checkTextcard(JsonNode card) {
        requireText(card, "title");
        requireText(card, "description");
        requireText(card, "url");
    }

    private static void checkArticles(SandboxState state, JsonNode articles, boolean mpnews) {
        if (!articles.isArray() || articles.isEmpty()) {
            throw WeComError.missing("articles");
        }
        if (articles.size() > MAX_ARTICLES) {
            throw new WeComError(45008, "article size out of limit: at most " + MAX_ARTICLES + " articles");
        }
        for (JsonNode article : articles) {
            requireText(article, "title");
            if (mpnews) {
                checkMedia(state, article.path("thumb_media_id"), "image");
                requireText(article, "content");
                if (article.get("content").asText().getBytes(StandardCharsets.UTF_8).length > MAX_MPNEWS_CONTENT_BYTES) {
                    throw new WeComError(45002, "content size out of limit: at most 666K bytes");
                }
            } else if (article.path("appid").asText().isEmpty() || article.path("pagepath").asText().isEmpty()) {
                requireText(article, "url");
            }
        }
    }

    private static void checkMiniprogramNotice(JsonNode notice) {
        requireText(notice, "appid");
        requireText(notice, "title");
    }

    private static void checkTemplateCard(JsonNode card) {
        String cardType = card.path("card_type").asText();
        if (!CARD_TYPES.contains(cardType)) {
            throw new WeComError(40058, "invalid template_card.card_type: " + cardType);
        }
        if ((INTERACTIVE_CARDS.contains(cardType) || card.has("action_menu")) && card.path("task_id").asText().isEmpty()) {
            throw WeComError.missing("task_id");
        }
    }

    private static void checkSafe(ObjectNode body, String msgtype) {
        int safe = body.path("safe").asInt(0);
        if (safe == 1 && "news".equals(msgtype)) {
            throw new WeComError(40074, "news message can not be safe");
        }
        if (safe == 2 && !"mpnews".equals(msgtype)) {
            throw new WeComError(40058, "safe 2 is only valid for mpnews");
        }
    }

    private static boolean returnsResponseCode(ObjectNode message) {
        JsonNode card = message.path("template_card");
        return "template_card".equals(message.path("msgtype").asText())
                && (INTERACTIVE_CARDS.contains(card.path("card_type").asText()) || card.has("action_menu"));
    }

    private static void requireText(JsonNode object, String field) {
        if (object.path(field).asText().isEmpty()) {
            throw WeComError.missing(field);
        }
    }

    private static void checkListLength(String ids, int max, int errcode, String field) {
        if (count(ids) > max) {
            throw new WeComError(errcode, field + " list size out of limit: at most " + max);
        }
    }

    private static int count(String ids) {
        return ids == null || ids.isBlank() ? 0 : ids.split("\\|").length;
    }
}
