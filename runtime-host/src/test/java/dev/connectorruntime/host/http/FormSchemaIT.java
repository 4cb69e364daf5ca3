package dev.connectorruntime.host.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.connectorruntime.host.ConnectorHost;
import dev.connectorruntime.spi.ActionDescriptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The form schemas the designer renders with json-editor, for every action of the packaged catalog:
 * only json-editor's dialect is left, labelled enums, the msgtype choice, hints and examples.
 */
class FormSchemaIT {
    /** Keywords json-editor does not take (or would check differently); the form must not carry them. */
    private static final Set<String> FOREIGN = Set.of("$ref", "$defs", "$schema", "allOf", "anyOf", "oneOf", "if", "then",
            "else", "not", "patternProperties", "propertyNames");
    private static ConnectorHost host;

    @BeforeAll
    static void start() throws IOException {
        Path zip = Path.of(System.getProperty("runtime.dist", "target/dist"), "plugins", "wecom-plugin.zip");
        assertTrue(Files.isRegularFile(zip), "packaged plugin not found at " + zip + " (run ./mvnw verify)");
        Path plugins = Files.createTempDirectory("plugins");
        Files.copy(zip, plugins.resolve("wecom-plugin.zip"));
        host = ConnectorHost.builder().pluginsDir(plugins).build();
    }

    @AfterAll
    static void stop() {
        host.close();
    }

    private static JsonNode form(String actionId) {
        return FormSchema.of(host.action(actionId).orElseThrow().input());
    }

    @Test
    void messageSendShowsOnlyTheChosenTypesBody() {
        JsonNode form = form("message_send");
        JsonNode properties = form.get("properties");
        List<String> types = texts(properties.at("/msgtype/enum"));
        assertTrue(types.containsAll(List.of("text", "textcard", "template_card")), types.toString());
        assertEquals(types.size(), properties.at("/msgtype/options/enum_titles").size());
        assertEquals("文本卡片消息", properties.at("/msgtype/options/enum_titles/" + types.indexOf("textcard")).asText());
        for (String type : types) {
            assertEquals(type, properties.at("/" + type + "/options/dependencies/msgtype").asText(), type);
            assertTrue(texts(form.get("required")).contains(type), "no opt-in checkbox for the chosen body: " + type);
        }
        // the body, inlined from $defs, keeps its own required fields
        assertEquals("string", properties.at("/textcard/properties/url/type").asText());
        assertTrue(texts(properties.at("/textcard/required")).containsAll(List.of("title", "description", "url")));
        // a field some types require and the connection fills stays an ordinary optional field
        assertTrue(properties.at("/agentid/options/dependencies").isMissingNode());
        assertFalse(texts(form.get("required")).contains("agentid"));
        // fields one card type requires but others allow are never hidden
        assertTrue(properties.at("/template_card/properties/main_title/options/dependencies").isMissingNode());
        // labelled integers
        assertEquals(List.of("0", "1", "2"), texts(properties.at("/safe/enum")));
        assertEquals("integer", properties.at("/safe/type").asText());
        assertEquals(3, properties.at("/safe/options/enum_titles").size());
    }

    @Test
    void rulesTheFormCannotExpressAreWrittenIntoDescriptions() {
        String receivers = form("message_send").get("description").asText();
        assertTrue(receivers.contains("at least one of") && receivers.contains("touser")
                && receivers.contains("toparty") && receivers.contains("totag"), receivers);
        String contact = form("user_create").get("description").asText();
        assertTrue(contact.contains("mobile") && contact.contains("email"), contact);
        String members = form("tag_addtagusers").get("description").asText();
        assertTrue(members.contains("userlist") && members.contains("partylist"), members);
    }

    @Test
    void inputsFitTheirValuesAndFormsFollowTheChosenType() {
        assertEquals("只能由数字、字母和 _-@. 组成，且以数字或字母开头", form("user_create").at("/properties/userid/options/patternmessage").asText());
        assertEquals("color", form("calendar_add").at("/properties/calendar/properties/color/format").asText());
        JsonNode start = form("schedule_add").at("/properties/schedule/properties/start_time");
        assertEquals("datetime-local", start.get("format").asText());
        assertEquals("integer", start.get("type").asText(), "json-editor keeps Unix seconds for an integer date-time");
        // one of mobile / email: both shown; nothing else optional
        assertEquals(List.of("userid", "name", "mobile", "email"), texts(form("user_create").get("defaultProperties")));
        // template_card: each field only for the card types that allow it; required-by-some shown
        JsonNode card = form("message_send").at("/properties/template_card");
        assertEquals(List.of("news_notice"), texts(card.at("/properties/image_text_area/options/dependencies/card_type")));
        assertTrue(card.at("/properties/main_title/options/dependencies").isMissingNode(), "every type allows main_title");
        assertTrue(texts(card.get("defaultProperties")).containsAll(List.of("card_type", "main_title", "card_action")));
        // news articles: url shown (one of url / appid + pagepath), the pair left in the add-field list
        JsonNode article = form("message_send").at("/properties/news/properties/articles/items");
        assertEquals(List.of("title", "url"), texts(article.get("defaultProperties")));
    }

    @Test
    void examplesPlaceholdersBooleansFreeFormObjectsAndDeprecatedFields() {
        assertEquals("例 e.g. zhangsan|lisi", form("message_send").at("/properties/touser/options/inputAttributes/placeholder").asText());
        assertTrue(form("message_send").at("/properties/msgtype/options/inputAttributes").isMissingNode(), "no placeholder on a select");
        assertEquals(List.of("是", "否"), texts(form("user_create").at("/properties/to_invite/options/enum_titles")));
        JsonNode english = FormSchema.of(host.action("user_create").orElseThrow().input(), java.util.Locale.ENGLISH);
        assertEquals(List.of("Yes", "No"), texts(english.at("/properties/to_invite/options/enum_titles")));
        assertEquals("only digits, letters and _ - @ . , starting with a digit or a letter",
                english.at("/properties/userid/options/patternmessage").asText(), "pattern messages in the page's language");
        JsonNode raw = form("wecom_api_call").get("properties");
        assertFalse(raw.at("/body/options/disable_edit_json").asBoolean(true), "a raw body is typed as JSON");
        assertFalse(raw.at("/query/options/disable_edit_json").asBoolean(true));
        assertTrue(form("externalcontact_message_send").at("/properties/to_external_user/title").asText().contains("已废弃"));
    }

    @Test
    void everyActionsFormIsInJsonEditorsDialect() {
        List<String> problems = new ArrayList<>();
        for (ActionDescriptor action : host.actions()) {
            JsonNode input = action.input().deepCopy();
            JsonNode form = FormSchema.of(action.input());
            assertEquals(input, action.input(), action.id() + ": the input schema is left alone");
            assertEquals("object", form.path("type").asText(), action.id());
            check(action.id(), "", form, problems);
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void everyExampleFitsTheForm() {
        List<String> problems = new ArrayList<>();
        for (ActionDescriptor action : host.actions()) {
            JsonNode form = FormSchema.of(action.input());
            for (ActionDescriptor.Example example : action.examples()) {
                fits(action.id() + " '" + example.title() + "'", "", example.input(), form, problems);
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /** Walks a form schema: no foreign keywords, enums labelled, titles everywhere, dependencies that resolve. */
    private static void check(String action, String at, JsonNode schema, List<String> problems) {
        Iterator<String> keywords = schema.fieldNames();
        while (keywords.hasNext()) {
            String keyword = keywords.next();
            if (FOREIGN.contains(keyword)) {
                problems.add(action + at + ": keyword " + keyword);
            }
        }
        if (schema.has("enum") && !"boolean".equals(schema.path("type").asText())
                && schema.at("/options/enum_titles").size() != schema.get("enum").size()) {
            problems.add(action + at + ": enum without a title for each value");
        }
        if (!at.isEmpty() && !schema.has("title")) {
            problems.add(action + at + ": no title");
        }
        JsonNode properties = schema.path("properties");
        Set<String> required = new HashSet<>(texts(schema.path("required")));
        for (String name : required) {
            if (!properties.has(name)) {
                problems.add(action + at + ": required " + name + " is not a property");
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> property = it.next();
            String path = at + "/" + property.getKey();
            property.getValue().path("options").path("dependencies").fields().forEachRemaining(dependency -> {
                JsonNode on = properties.path(dependency.getKey());
                List<String> allowed = texts(on.path("enum"));
                List<String> wanted = dependency.getValue().isArray() ? texts(dependency.getValue()) : List.of(dependency.getValue().asText());
                if (!required.contains(dependency.getKey()) || !allowed.containsAll(wanted)) {
                    problems.add(action + path + ": depends on " + dependency.getKey() + " = " + wanted + ", not a required choice of " + allowed);
                }
            });
            check(action, path, property.getValue(), problems);
        }
        if (schema.path("items").isObject()) {
            check(action, at + "/items", schema.get("items"), problems);
        }
    }

    /** Every field of an example is a field of the form (array items included). */
    private static void fits(String example, String at, JsonNode value, JsonNode schema, List<String> problems) {
        if (value.isObject()) {
            JsonNode properties = schema.path("properties");
            if (!properties.isObject()) {
                return; // a free-form object
            }
            value.fields().forEachRemaining(field -> {
                if (!properties.has(field.getKey())) {
                    problems.add(example + ": " + at + "/" + field.getKey() + " has no field in the form");
                } else {
                    fits(example, at + "/" + field.getKey(), field.getValue(), properties.get(field.getKey()), problems);
                }
            });
        } else if (value.isArray() && schema.path("items").isObject()) {
            for (int i = 0; i < value.size(); i++) {
                fits(example, at + "/" + i, value.get(i), schema.get("items"), problems);
            }
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
