package dev.connectorruntime.wecom.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The {@code change_contact} callbacks WeCom sends to the contact-sync URL when members, departments
 * and tag memberships change, built from the sandbox's state after the write (fields and their form as
 * in the reference: comma lists in CDATA, numbers bare).
 *
 * <p>Unlike WeCom, which does not echo the contact-sync app's own API writes back to its callback URL,
 * the sandbox sends them: a workflow built on these triggers can then be exercised end to end.
 */
final class ContactCallbacks {
    static final String KIND = "contact";

    private ContactCallbacks() {}

    static String createUser(String corpId, JsonNode user) {
        return member(corpId, "create_user", user, null);
    }

    static String updateUser(String corpId, JsonNode user, String newUserId) {
        return member(corpId, "update_user", user, newUserId);
    }

    static String deleteUser(String corpId, String userId) {
        return start(corpId, "delete_user").text("UserID", userId).end();
    }

    static String createParty(String corpId, JsonNode department) {
        return start(corpId, "create_party").number("Id", department.path("id").asLong())
                .text("Name", department.path("name").asText()).text("ParentId", department.path("parentid").asText())
                .number("Order", department.path("order").asLong()).end();
    }

    static String updateParty(String corpId, JsonNode department) {
        return start(corpId, "update_party").number("Id", department.path("id").asLong())
                .text("Name", department.path("name").asText()).text("ParentId", department.path("parentid").asText()).end();
    }

    static String deleteParty(String corpId, long id) {
        return start(corpId, "delete_party").number("Id", id).end();
    }

    /** A tag's membership changed; empty lists are left out, as WeCom does. */
    static String updateTag(String corpId, long tagId, Collection<String> addUsers, Collection<String> delUsers,
                            Collection<String> addParties, Collection<String> delParties) {
        Xml xml = start(corpId, "update_tag").number("TagId", tagId);
        xml.list("AddUserItems", addUsers).list("DelUserItems", delUsers).list("AddPartyItems", addParties).list("DelPartyItems", delParties);
        return xml.end();
    }

    private static String member(String corpId, String changeType, JsonNode user, String newUserId) {
        Xml xml = start(corpId, changeType).text("UserID", user.path("userid").asText());
        if (newUserId != null) {
            xml.text("NewUserID", newUserId);
        }
        xml.text("Name", user.path("name").asText(null));
        xml.list("Department", texts(user.path("department")));
        if (user.hasNonNull("main_department")) {
            xml.number("MainDepartment", user.path("main_department").asLong());
        }
        xml.list("IsLeaderInDept", texts(user.path("is_leader_in_dept")));
        xml.list("DirectLeader", texts(user.path("direct_leader")));
        xml.text("Position", user.path("position").asText(null));
        if (user.hasNonNull("mobile")) {
            xml.bare("Mobile", user.get("mobile").asText());
        }
        if (user.hasNonNull("gender")) {
            xml.bare("Gender", user.get("gender").asText());
        }
        xml.text("Email", user.path("email").asText(null));
        xml.text("BizMail", user.path("biz_mail").asText(null));
        if (user.hasNonNull("status")) {
            xml.number("Status", user.get("status").asLong());
        }
        xml.text("Alias", user.path("alias").asText(null));
        xml.text("Telephone", user.path("telephone").asText(null));
        xml.text("Address", user.path("address").asText(null));
        return xml.end();
    }

    private static List<String> texts(JsonNode array) {
        List<String> list = new ArrayList<>();
        array.forEach(item -> list.add(item.asText()));
        return list;
    }

    private static Xml start(String corpId, String changeType) {
        return new Xml().text("ToUserName", corpId).text("FromUserName", "sys")
                .number("CreateTime", System.currentTimeMillis() / 1000).text("MsgType", "event")
                .text("Event", "change_contact").bare("ChangeType", changeType);
    }

    /** A flat WeCom callback XML: text in CDATA, numbers bare. */
    static final class Xml {
        private final StringBuilder xml = new StringBuilder("<xml>");

        Xml text(String name, String value) {
            if (value != null && !value.isEmpty()) {
                xml.append('<').append(name).append("><![CDATA[").append(value.replace("]]>", "]]]]><![CDATA[>"))
                        .append("]]></").append(name).append('>');
            }
            return this;
        }

        Xml number(String name, long value) {
            return bare(name, Long.toString(value));
        }

        Xml bare(String name, String value) {
            xml.append('<').append(name).append('>').append(escape(value)).append("</").append(name).append('>');
            return this;
        }

        Xml list(String name, Collection<String> values) {
            return values.isEmpty() ? this : text(name, String.join(",", values));
        }

        String end() {
            return xml.append("</xml>").toString();
        }

        private static String escape(String value) {
            return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        }
    }
}
