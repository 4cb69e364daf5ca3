package dev.connectorruntime.wecom.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import dev.connectorruntime.spi.CatalogResources;
import dev.connectorruntime.spi.TriggerDescriptor;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Events injected with {@code POST /sandbox/events}, so that every trigger can be exercised, also
 * those no sandbox write causes (a customer added, an approval decided, a card button clicked):
 * {@code {"trigger": "<trigger id>", "fields": {"UserID": "zhangsan", ...}}} sends the trigger's example
 * callback with those elements set (and the corp, a fresh CreateTime and MsgId), to the trigger's kind;
 * {@code {"kind": "app", "xml": "<xml>...</xml>"}} sends any XML as it is.
 */
final class InjectedEvents {
    private static final SecureRandom RANDOM = new SecureRandom();
    private volatile List<TriggerDescriptor> triggers;

    /** A callback to send: its kind and XML. */
    record Injected(String kind, String xml) {}

    Injected from(JsonNode request, String corpId, long agentId) {
        if (request.hasNonNull("xml")) {
            String kind = request.path("kind").asText("");
            if (!CallbackSender.KINDS.contains(kind)) {
                throw new IllegalArgumentException("kind: one of " + CallbackSender.KINDS);
            }
            return new Injected(kind, request.get("xml").asText());
        }
        String id = request.path("trigger").asText("");
        TriggerDescriptor trigger = trigger(id).orElseThrow(() -> new IllegalArgumentException(
                "trigger: no trigger '" + id + "'; give a trigger id (GET /api/triggers) or {\"kind\", \"xml\"}"));
        if (trigger.examples().isEmpty() || trigger.examples().get(0).raw() == null || !trigger.examples().get(0).raw().startsWith("<")) {
            throw new IllegalArgumentException("trigger: '" + id + "' has no XML example to start from; send {\"kind\", \"xml\"}");
        }
        String xml = trigger.examples().get(0).raw();
        xml = set(xml, "ToUserName", corpId);
        xml = set(xml, "CreateTime", Long.toString(System.currentTimeMillis() / 1000));
        if (xml.contains("<MsgId>")) {
            xml = set(xml, "MsgId", Long.toString(Math.abs(RANDOM.nextLong() % 10_000_000_000_000_000L)));
        }
        if (xml.contains("<AgentID>")) {
            xml = set(xml, "AgentID", Long.toString(agentId));
        }
        for (Map.Entry<String, JsonNode> field : (Iterable<Map.Entry<String, JsonNode>>) request.path("fields")::fields) {
            xml = set(xml, field.getKey(), field.getValue().isArray() ? join(field.getValue()) : field.getValue().asText());
        }
        return new Injected(trigger.callbackKind(), xml);
    }

    private Optional<TriggerDescriptor> trigger(String id) {
        List<TriggerDescriptor> all = triggers;
        if (all == null) {
            all = CatalogResources.load(InjectedEvents.class.getClassLoader(), "schemas/wecom").triggers();
            triggers = all;
        }
        return all.stream().filter(t -> t.id().equals(id)).findFirst();
    }

    private static String join(JsonNode array) {
        StringBuilder text = new StringBuilder();
        array.forEach(item -> text.append(text.length() == 0 ? "" : ",").append(item.asText()));
        return text.toString();
    }

    /** The first {@code <name>} element set to {@code value} (kept in CDATA when it was), or added before {@code </xml>}. */
    static String set(String xml, String name, String value) {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">(\\s*<!\\[CDATA\\[)?.*?(]]>\\s*)?</" + Pattern.quote(name) + ">",
                Pattern.DOTALL).matcher(xml);
        if (m.find()) {
            String element = m.group(1) != null ? cdata(name, value) : "<" + name + ">" + escape(value) + "</" + name + ">";
            return xml.substring(0, m.start()) + element + xml.substring(m.end());
        }
        int end = xml.lastIndexOf("</xml>");
        return xml.substring(0, end) + cdata(name, value) + xml.substring(end);
    }

    private static String cdata(String name, String value) {
        return "<" + name + "><![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]></" + name + ">";
    }

    private static String escape(String value) {
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
