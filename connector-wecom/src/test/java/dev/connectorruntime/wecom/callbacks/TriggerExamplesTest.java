package dev.connectorruntime.wecom.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.connectorruntime.spi.CallbackResult;
import dev.connectorruntime.spi.CatalogResources;
import dev.connectorruntime.spi.Connection;
import dev.connectorruntime.spi.InboundEvent;
import dev.connectorruntime.spi.Secret;
import dev.connectorruntime.spi.TriggerDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Every event example of the reference (copied into test resources): encrypted and signed as WeCom
 * does, handed to the callback hook, matched to its trigger, converted, validated against the trigger's
 * schema, compared field by field with the XML and with the expected event of the trigger's descriptor.
 */
class TriggerExamplesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CatalogResources CATALOG = CatalogResources.load(TriggerExamplesTest.class.getClassLoader(), "schemas/wecom");
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final String CORP = "ww0123456789abcdef";
    private static final String TOKEN = "QDG6eK";
    private static final String KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
    /** The ones the reference marks as most used for workflows: each must be among the examples. */
    private static final Set<String> MOST_USED = Set.of("change_contact_create_user", "change_contact_update_user",
            "change_contact_delete_user", "change_contact_create_party", "change_contact_update_party", "change_contact_delete_party",
            "change_external_contact_add_external_contact", "change_external_contact_del_external_contact",
            "change_external_contact_del_follow_user", "change_external_contact_edit_external_contact", "sys_approval_change",
            "event_open_approval_change", "event_template_card_event", "msg_text", "event_click", "event_batch_job_result",
            "change_external_chat_create", "change_external_chat_update", "change_external_chat_dismiss", "aibot_callback_json");

    static Connection connection() {
        Map<String, Map<String, Secret>> callbacks = new LinkedHashMap<>();
        for (String kind : List.of("app", "contact", "externalcontact", "school", "aibot")) {
            callbacks.put(kind, Map.of("token", Secret.of(TOKEN), "encodingAesKey", Secret.of(KEY)));
        }
        return new Connection("acme", URI.create("http://127.0.0.1:9"), JSON.createObjectNode().put("corpId", CORP),
                Map.of(), null, callbacks);
    }

    static List<Path> exampleFiles() throws Exception {
        try (Stream<Path> files = Files.list(Path.of(TriggerExamplesTest.class.getResource("/callbacks/examples").toURI()))) {
            return files.sorted().toList();
        }
    }

    @Test
    void everyReferenceEventHasATriggerAndTheMostUsedHaveExamples() throws Exception {
        Set<String> triggerIds = CATALOG.triggers().stream().map(TriggerDescriptor::id).collect(Collectors.toSet());
        Set<String> exampleIds = exampleFiles().stream().map(p -> p.getFileName().toString().replaceAll("\\.(xml|json)$", ""))
                .collect(Collectors.toSet());
        assertEquals(46, exampleIds.size());
        assertEquals(exampleIds, triggerIds);
        assertTrue(exampleIds.containsAll(MOST_USED));
    }

    @TestFactory
    Stream<DynamicTest> everyTriggerDescriptorIsFormReady() {
        Schema draft = REGISTRY.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        return CATALOG.triggers().stream().map(t -> DynamicTest.dynamicTest(t.id(), () -> {
            assertEquals(List.of(), draft.validate(t.schema()).stream().map(Object::toString).toList());
            assertTrue(Set.of("app", "contact", "externalcontact", "school", "aibot").contains(t.callbackKind()));
            assertNotNull(t.titleEn());
            List<String> untitled = new ArrayList<>();
            titled(t.schema(), "", untitled);
            assertEquals(List.of(), untitled, "every property has a title and a description");
            assertFalse(t.examples().isEmpty());
        }));
    }

    private static void titled(JsonNode schema, String at, List<String> problems) {
        schema.path("properties").fields().forEachRemaining(p -> {
            if (!p.getValue().hasNonNull("title") || !p.getValue().hasNonNull("description")) {
                problems.add(at + "/" + p.getKey());
            }
            titled(p.getValue(), at + "/" + p.getKey(), problems);
        });
        if (schema.has("items")) {
            titled(schema.get("items"), at + "/*", problems);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyReferenceExampleArrivesAsItsTrigger() throws Exception {
        WeComCallbacks hook = new WeComCallbacks(CATALOG.triggers());
        Connection connection = connection();
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : exampleFiles()) {
            String id = file.getFileName().toString().replaceAll("\\.(xml|json)$", "");
            tests.add(DynamicTest.dynamicTest(id, () -> {
                TriggerDescriptor trigger = CATALOG.triggers().stream().filter(t -> t.id().equals(id)).findFirst().orElseThrow();
                String message = Files.readString(file, StandardCharsets.UTF_8);
                boolean json = file.toString().endsWith(".json");
                CallbackCrypto crypto = new CallbackCrypto(TOKEN, KEY);
                String encrypted = crypto.encrypt("0123456789abcdef".getBytes(StandardCharsets.US_ASCII), message,
                        json ? "" : CORP);
                String body = json ? JSON.createObjectNode().put("encrypt", encrypted).toString()
                        : "<xml><ToUserName><![CDATA[" + CORP + "]]></ToUserName><Encrypt><![CDATA[" + encrypted + "]]></Encrypt></xml>";
                Map<String, String> query = Map.of("timestamp", "1409659813", "nonce", "1372623149",
                        "msg_signature", crypto.signature("1409659813", "1372623149", encrypted));

                CallbackResult result = hook.verify(connection, trigger.callbackKind(), "POST", query, body.getBytes(StandardCharsets.UTF_8));

                List<InboundEvent> events = assertInstanceOf(CallbackResult.Events.class, result).events();
                assertEquals(1, events.size());
                InboundEvent event = events.get(0);
                assertEquals(id, event.triggerId());
                Schema schema = REGISTRY.getSchema(trigger.schema());
                assertEquals(List.of(), schema.validate(event.event()).stream().map(Object::toString).toList());
                if (json) {
                    assertEquals(JSON.readTree(message), event.event());
                } else {
                    sameAsXml(SafeXml.parse(message.getBytes(StandardCharsets.UTF_8)), event.event(), "");
                }
                assertEquals(normalised(trigger.examples().get(0).event()), normalised(event.event()),
                        "the descriptor's expected event");
            }));
        }
        return tests.stream();
    }

    private static JsonNode normalised(JsonNode node) throws IOException {
        return JSON.readTree(JSON.writeValueAsString(node));
    }

    /** Each element is a field of the same name, with the same value; nothing dropped, nothing added. */
    static void sameAsXml(Element element, JsonNode json, String at) {
        Map<String, List<Element>> byName = new LinkedHashMap<>();
        for (Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element e) {
                byName.computeIfAbsent(e.getTagName(), k -> new ArrayList<>()).add(e);
            }
        }
        assertInstanceOf(ObjectNode.class, json, at);
        assertEquals(byName.keySet(), fieldNames(json), at + ": the same fields as the XML");
        byName.forEach((name, elements) -> {
            JsonNode value = json.get(name);
            String path = at + "/" + name;
            if (value.isArray() && elements.size() == 1 && !hasElements(elements.get(0))) {
                String joined = java.util.stream.StreamSupport.stream(value.spliterator(), false)
                        .map(JsonNode::asText).collect(Collectors.joining(","));
                assertEquals(elements.get(0).getTextContent().replace(" ", "").trim(), joined, path + " (comma list)");
            } else if (value.isArray()) {
                assertEquals(elements.size(), value.size(), path + " (repeated elements)");
                for (int i = 0; i < elements.size(); i++) {
                    sameValue(elements.get(i), value.get(i), path + "/" + i);
                }
            } else {
                assertEquals(1, elements.size(), path);
                sameValue(elements.get(0), value, path);
            }
        });
    }

    private static void sameValue(Element element, JsonNode value, String path) {
        if (hasElements(element)) {
            sameAsXml(element, value, path);
        } else if (value.isNumber()) {
            assertEquals(0, new java.math.BigDecimal(element.getTextContent().trim()).compareTo(value.decimalValue()), path);
        } else {
            assertTrue(value.isTextual(), path + " is text");
            assertEquals(element.getTextContent(), value.asText(), path);
        }
    }

    private static Set<String> fieldNames(JsonNode json) {
        Set<String> names = new java.util.LinkedHashSet<>();
        json.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static boolean hasElements(Element element) {
        for (Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element) {
                return true;
            }
        }
        return false;
    }

    @Test
    void unknownElementsAreKeptAndCommaListsFollowTheSchema() {
        TriggerDescriptor trigger = CATALOG.triggers().stream().filter(t -> t.id().equals("change_contact_update_user")).findFirst().orElseThrow();
        ObjectNode event = WeComCallbacks.convert(trigger, "<xml><MsgType>event</MsgType><Event>change_contact</Event>"
                + "<ChangeType>update_user</ChangeType><UserID>zhangsan</UserID><Department>7</Department>"
                + "<NewThing><A>1</A><A>2</A></NewThing><Status>x</Status><ExtAttr><Item><Name>n</Name><Type>0</Type></Item></ExtAttr></xml>");
        assertEquals("[7]", event.get("Department").toString(), "a one-element comma list is still a list");
        assertEquals("{\"A\":[\"1\",\"2\"]}", event.get("NewThing").toString(), "unknown elements kept, repeated ones as a list");
        assertEquals("x", event.get("Status").asText(), "a value that is not the number the schema expects is kept as text");
        assertEquals(0, event.at("/ExtAttr/Item/0/Type").asInt());
        assertTrue(event.at("/ExtAttr/Item").isArray(), "a single Item is a list of one");
    }
}
