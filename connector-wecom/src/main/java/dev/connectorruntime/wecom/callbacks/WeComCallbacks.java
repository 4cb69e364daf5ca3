package dev.connectorruntime.wecom.callbacks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connectorruntime.spi.CallbackHook;
import dev.connectorruntime.spi.CallbackResult;
import dev.connectorruntime.spi.Connection;
import dev.connectorruntime.spi.InboundEvent;
import dev.connectorruntime.spi.Secret;
import dev.connectorruntime.spi.TriggerDescriptor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * WeCom's inbound callbacks: checks {@code msg_signature} with the kind's Token, decrypts with its
 * EncodingAESKey, checks the receiveid (the corpId; empty for smart robots), matches the message to a
 * trigger and converts it to the trigger's JSON event.
 *
 * <p>Dedup key: WeCom's advice (MsgId for messages, FromUserName + CreateTime for events) collides for
 * system events, whose FromUserName is always {@code sys} (a batch delete of members shares one
 * CreateTime). So messages use their MsgId, and every other event the SHA-256 of its whole converted
 * content: a resend carries the same content, while two different events differ in at least the object
 * they are about.
 */
public final class WeComCallbacks implements CallbackHook {
    /** Callback kinds whose payload is JSON and whose receiveid is empty (smart robots). */
    private static final Set<String> JSON_KINDS = Set.of("aibot");
    private static final Set<String> KINDS = Set.of("app", "contact", "externalcontact", "school", "aibot");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final TriggerMatcher matcher;

    public WeComCallbacks(List<TriggerDescriptor> triggers) {
        this.matcher = new TriggerMatcher(triggers);
    }

    @Override
    public CallbackResult verify(Connection connection, String kind, String method, Map<String, String> query, byte[] body) {
        try {
            if (!KINDS.contains(kind)) {
                return new CallbackResult.Rejected("unknown_kind");
            }
            Optional<Secret> token = connection.callbackSecret(kind, "token");
            Optional<Secret> aesKey = connection.callbackSecret(kind, "encodingAesKey");
            if (token.isEmpty() || aesKey.isEmpty()) {
                return new CallbackResult.Rejected("not_configured");
            }
            CallbackCrypto crypto = new CallbackCrypto(token.get().reveal(), aesKey.get().reveal());
            String timestamp = query.get("timestamp");
            String nonce = query.get("nonce");
            String signature = query.get("msg_signature");
            if (timestamp == null || nonce == null || signature == null) {
                return new CallbackResult.Rejected("missing_parameters");
            }
            String receiveId = JSON_KINDS.contains(kind) ? "" : connection.property("corpId").map(JsonNode::asText).orElse("");
            if ("GET".equalsIgnoreCase(method)) {
                String echo = query.get("echostr");
                if (echo == null) {
                    return new CallbackResult.Rejected("missing_parameters");
                }
                // Base64 has no spaces: a '+' sent unencoded arrives as a space after form decoding.
                echo = echo.replace(' ', '+');
                CallbackCrypto.Plaintext plain = open(crypto, timestamp, nonce, signature, echo, receiveId, JSON_KINDS.contains(kind));
                return new CallbackResult.UrlVerification(plain.message());
            }
            String encrypted = JSON_KINDS.contains(kind) || startsWithBrace(body) ? jsonEnvelope(body) : xmlEnvelope(body);
            CallbackCrypto.Plaintext plain = open(crypto, timestamp, nonce, signature, encrypted, receiveId, false);
            return new CallbackResult.Events(events(kind, plain.message()));
        } catch (CallbackException e) {
            return new CallbackResult.Rejected(e.reason());
        }
    }

    private static CallbackCrypto.Plaintext open(CallbackCrypto crypto, String timestamp, String nonce, String signature,
            String encrypted, String receiveId, boolean receiveIdOptional) {
        if (!crypto.signatureMatches(timestamp, nonce, encrypted, signature)) {
            throw new CallbackException("bad_signature");
        }
        CallbackCrypto.Plaintext plain = crypto.decrypt(encrypted);
        boolean receiveIdOk = MessageDigest.isEqual(plain.receiveId().getBytes(StandardCharsets.UTF_8),
                receiveId.getBytes(StandardCharsets.UTF_8)) || (receiveIdOptional && plain.receiveId().isEmpty());
        if (!receiveIdOk) {
            throw new CallbackException("bad_receiveid");
        }
        return plain;
    }

    private List<InboundEvent> events(String kind, String message) {
        if (JSON_KINDS.contains(kind)) {
            ObjectNode event = jsonMessage(message);
            return matcher.matchJson(kind)
                    .map(t -> List.of(new InboundEvent(t.id(), event, dedupKey(t, event, "msgid"))))
                    .orElse(List.of());
        }
        if (message.stripLeading().startsWith("{")) {
            // the JSON variant of app callbacks (WXBizJsonMsgCrypt): already typed, same field names
            ObjectNode event = jsonMessage(message);
            return matcher.match(kind, event.path("MsgType").asText(null), event.path("Event").asText(null),
                            event.path("ChangeType").asText(null))
                    .map(t -> List.of(new InboundEvent(t.id(), event, dedupKey(t, event, "MsgId"))))
                    .orElse(List.of());
        }
        Element root = SafeXml.parse(message.getBytes(StandardCharsets.UTF_8));
        Optional<TriggerDescriptor> trigger = matcher.match(kind, child(root, "MsgType"), child(root, "Event"), child(root, "ChangeType"));
        if (trigger.isEmpty()) {
            return List.of();
        }
        ObjectNode event = EventConverter.convert(root, trigger.get().schema());
        return List.of(new InboundEvent(trigger.get().id(), event, dedupKey(trigger.get(), event, "MsgId")));
    }

    private static ObjectNode jsonMessage(String message) {
        try {
            if (MAPPER.readTree(message) instanceof ObjectNode event) {
                return event;
            }
        } catch (JsonProcessingException e) {
            // fall through
        }
        throw new CallbackException("bad_json");
    }

    /** Converts a decrypted message of a trigger (used for the catalog's examples and by the sandbox). */
    public static ObjectNode convert(TriggerDescriptor trigger, String message) {
        if ("json".equals(trigger.source().path("format").asText())) {
            try {
                return (ObjectNode) MAPPER.readTree(message);
            } catch (JsonProcessingException | ClassCastException e) {
                throw new CallbackException("bad_json");
            }
        }
        return EventConverter.convert(SafeXml.parse(message.getBytes(StandardCharsets.UTF_8)), trigger.schema());
    }

    private static String dedupKey(TriggerDescriptor trigger, ObjectNode event, String idField) {
        JsonNode id = event.get(idField);
        if (id != null && id.isValueNode() && !id.asText().isEmpty()) {
            return trigger.id() + "/id/" + id.asText();
        }
        try {
            byte[] content = MAPPER.writeValueAsBytes(event);
            return trigger.id() + "/sha256/" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String child(Element root, String name) {
        for (Node child = root.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element element && element.getTagName().equals(name)) {
                return element.getTextContent().trim();
            }
        }
        return null;
    }

    private static boolean startsWithBrace(byte[] body) {
        for (byte b : body) {
            if (!Character.isWhitespace(b)) {
                return b == '{';
            }
        }
        return false;
    }

    private static String xmlEnvelope(byte[] body) {
        String encrypted = child(SafeXml.parse(body), "Encrypt");
        if (encrypted == null || encrypted.isEmpty()) {
            throw new CallbackException("bad_envelope");
        }
        return encrypted;
    }

    private static String jsonEnvelope(byte[] body) {
        try {
            JsonNode envelope = MAPPER.readTree(body);
            JsonNode encrypted = envelope == null ? null : envelope.get("encrypt");
            if (encrypted == null || !encrypted.isTextual() || encrypted.asText().isEmpty()) {
                throw new CallbackException("bad_envelope");
            }
            return encrypted.asText();
        } catch (java.io.IOException e) {
            throw new CallbackException("bad_envelope");
        }
    }
}
