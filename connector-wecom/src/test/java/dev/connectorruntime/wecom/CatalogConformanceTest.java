package dev.connectorruntime.wecom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import dev.connectorruntime.spi.ActionDescriptor;
import dev.connectorruntime.spi.CatalogResources;
import dev.connectorruntime.spi.ConnectorInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The catalog's gate: every descriptor satisfies schemas/descriptor.schema.json, its schemas are valid
 * draft 2020-12, every property is titled and described, enums are labelled, inputs are closed and
 * outputs open, and every example validates against its own input schema.
 */
class CatalogConformanceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
    private static final CatalogResources CATALOG = CatalogResources.load(CatalogConformanceTest.class.getClassLoader(), "schemas/wecom");
    /** Keywords holding sub-schemas that describe data (if/then/else/not only test or refine fields). */
    private static final Set<String> SHAPE_KEYWORDS = Set.of("items", "contains", "additionalProperties");

    @Test
    void theCatalogHoldsEveryMethodOnceWithAKnownCategory() {
        List<ActionDescriptor> actions = CATALOG.actions();
        assertEquals(64, actions.size(), "62 catalog methods, media_upload and the raw call wecom_api_call");
        Set<String> categories = CATALOG.info().categories().stream().map(ConnectorInfo.Category::id).collect(Collectors.toSet());
        actions.forEach(a -> assertTrue(categories.contains(a.category()), a.id() + ": unknown category " + a.category()));
        assertTrue(actions.stream().anyMatch(a -> a.id().equals("school_department_list")));
    }

    @TestFactory
    Stream<DynamicTest> everyDescriptorConforms() throws IOException {
        Schema meta = REGISTRY.getSchema(read(Path.of("..", "schemas", "descriptor.schema.json")));
        Schema draft = REGISTRY.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        List<DynamicTest> tests = new ArrayList<>();
        for (ActionDescriptor action : CATALOG.actions()) {
            tests.add(DynamicTest.dynamicTest(action.id(), () -> {
                List<String> problems = new ArrayList<>();
                meta.validate(action.source()).forEach(e -> problems.add("descriptor " + e.getMessage()));
                draft.validate(action.input()).forEach(e -> problems.add("input schema " + e.getMessage()));
                draft.validate(action.output()).forEach(e -> problems.add("output schema " + e.getMessage()));
                walk(action.input(), "input", true, problems);
                walk(action.output(), "output", false, problems);
                Schema input = REGISTRY.getSchema(action.input());
                for (ActionDescriptor.Example example : action.examples()) {
                    for (Error e : input.validate(example.input())) {
                        problems.add("example '" + example.title() + "': " + e.getInstanceLocation() + " " + e.getMessage());
                    }
                }
                assertTrue(problems.isEmpty(), () -> action.id() + ":\n  " + String.join("\n  ", problems));
            }));
        }
        return tests.stream();
    }

    @Test
    void theReadmeActionTableListsEveryActionWithItsNameAndDocLink() throws IOException {
        String readme = read(Path.of("..", "README.md"));
        for (ActionDescriptor action : CATALOG.actions()) {
            String row = readme.lines().filter(l -> l.startsWith("| `" + action.id() + "` |")).findFirst()
                    .orElseThrow(() -> new AssertionError("README lacks a row for " + action.id()));
            assertTrue(row.contains("| " + action.title() + " |") && row.contains(action.docUrl()), row);
        }
    }

    @Test
    void theConnectionSchemaMarksSecretsWriteOnly() {
        JsonNode secrets = CATALOG.connectionSchema().at("/properties/secrets/properties");
        assertEquals(Set.of("app", "contact", "externalcontact", "school"), Set.copyOf(iterable(secrets.fieldNames())));
        secrets.forEach(s -> assertTrue(s.path("writeOnly").asBoolean(), s.toString()));
    }

    /**
     * A field whose description says WeCom truncates it ("截断") carries no maxLength (a longer value
     * is accepted, with a warning) and is listed in the descriptor's truncates; every truncates entry
     * names a string field of the input.
     */
    @TestFactory
    Stream<DynamicTest> fieldsWeComTruncatesAreWarnedNotRejected() {
        return CATALOG.actions().stream().map(action -> DynamicTest.dynamicTest(action.id(), () -> {
            List<String> problems = new ArrayList<>();
            JsonNode truncates = action.source().path("truncates");
            truncating(action.input(), action.input(), "", problems, truncates);
            truncates.fieldNames().forEachRemaining(pointer -> {
                List<JsonNode> fields = fieldsAt(action.input(), action.input(), pointer.substring(1).split("/"), 0);
                if (fields.isEmpty() || fields.stream().anyMatch(f -> !"string".equals(f.path("type").asText()))) {
                    problems.add("truncates " + pointer + ": no string field of the input there");
                }
            });
            assertTrue(problems.isEmpty(), () -> action.id() + ":\n  " + String.join("\n  ", problems));
        }));
    }

    /**
     * The official doc pages' request examples (one per action, or per msgtype / card_type of a page)
     * validate against the input schemas, except the pages schemas/README.md lists as contradicting their
     * own text: their examples fail at the listed fields (each at least once) and nowhere else.
     */
    @TestFactory
    Stream<DynamicTest> officialRequestExamplesValidateExceptListedContradictions() throws IOException {
        JsonNode examples;
        try (var in = CatalogConformanceTest.class.getResourceAsStream("/doc-request-examples.json")) {
            examples = JSON.readTree(in).get("examples");
        }
        Map<String, List<String>> contradictions = new HashMap<>(); // action + page -> the fields
        String readme = read(Path.of("..", "schemas", "README.md"));
        String section = readme.substring(readme.indexOf("## Doc examples that contradict the doc's text"));
        section.lines().filter(l -> l.startsWith("| `")).forEach(row -> {
            String[] cells = row.split("(?<!\\\\)\\|");
            String page = cells[2].replaceAll(".*path/(\\d+).*", "$1");
            contradictions.put(cells[1].trim().replace("`", "") + " " + page, List.of(cells[3].trim().replace("`", "").split(",\\s*")));
        });
        assertTrue(examples.size() >= 70 && !contradictions.isEmpty(), "examples and the list are read");
        Map<String, List<String>> failedAt = new HashMap<>(); // action + page -> where its examples fail
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode example : examples) {
            String action = example.get("action").asText();
            String page = example.get("doc").asText().replaceAll(".*path/", "");
            String key = action + " " + page;
            String variant = example.path("variant").asText("");
            tests.add(DynamicTest.dynamicTest((key + " " + variant).trim(), () -> {
                ActionDescriptor descriptor = CATALOG.actions().stream().filter(a -> a.id().equals(action)).findFirst().orElseThrow();
                List<String> at = new ArrayList<>();
                REGISTRY.getSchema(descriptor.input()).validate(example.get("input")).forEach(e -> at.add(e.getInstanceLocation().toString()));
                failedAt.computeIfAbsent(key, k -> new ArrayList<>()).addAll(at);
                List<String> fields = contradictions.get(key);
                if (fields == null) {
                    assertTrue(at.isEmpty(), () -> key + " " + variant + " doc example is rejected at " + at);
                } else {
                    assertTrue(at.stream().allMatch(l -> fields.stream().anyMatch(f -> f.startsWith(l) || l.startsWith(f))),
                            () -> "fails elsewhere too: " + at);
                }
            }));
        }
        contradictions.forEach((key, fields) -> tests.add(DynamicTest.dynamicTest("listed: " + key, () -> {
            List<String> at = failedAt.getOrDefault(key, List.of());
            fields.forEach(f -> assertTrue(at.contains(f), () -> "listed contradiction " + key + " no longer fails at " + f + ": " + at));
        })));
        return tests.stream();
    }

    @Test
    void theConnectionFormNeverSendsANewCorpToASystemSecret() {
        JsonNode schema = CATALOG.connectionSchema();
        JsonNode secrets = schema.at("/properties/secrets/properties");
        assertTrue(schema.at("/properties/legacySystemSecrets/type").asText().equals("boolean"));
        for (String system : List.of("school", "externalcontact")) {
            String text = secrets.get(system).path("description").asText();
            assertTrue(text.contains("2023-12-01") && text.contains("legacySystemSecrets") && text.contains("secrets.app"), text);
        }
        String app = secrets.get("app").path("description").asText();
        assertTrue(app.contains("家校沟通") && app.contains("客户联系") && app.contains("可调用接口的应用"), app);
    }

    private static void truncating(JsonNode root, JsonNode schema, String at, List<String> problems, JsonNode truncates) {
        if (schema.isArray()) {
            schema.forEach(s -> truncating(root, s, at, problems, truncates));
            return;
        }
        if (!schema.isObject()) {
            return;
        }
        if (schema.path("description").asText().contains("截断") && "string".equals(schema.path("type").asText())) {
            if (schema.has("maxLength")) {
                problems.add(at + ": WeCom truncates it, so no maxLength (its limit goes in truncates)");
            }
            if (!truncates.has(at.replace("/items", "/*").replaceAll("/\\$defs/[^/]+", ""))) {
                problems.add(at + ": WeCom truncates it; list it in truncates");
            }
        }
        schema.path("properties").fields().forEachRemaining(p -> truncating(root, p.getValue(), at + "/" + p.getKey(), problems, truncates));
        if (schema.has("items")) {
            truncating(root, schema.get("items"), at + "/items", problems, truncates);
        }
        String ref = schema.path("$ref").asText("");
        if (ref.startsWith("#/$defs/")) {
            truncating(root, root.at(ref.substring(1)), at, problems, truncates);
        }
    }

    /** The schemas of the field at {@code path} ({@code *}: an array's items), through $refs, allOf and if/then. */
    private static List<JsonNode> fieldsAt(JsonNode root, JsonNode schema, String[] path, int depth) {
        List<JsonNode> found = new ArrayList<>();
        String ref = schema.path("$ref").asText("");
        if (ref.startsWith("#/$defs/")) {
            return fieldsAt(root, root.at(ref.substring(1)), path, depth);
        }
        if (depth == path.length) {
            found.add(schema);
            return found;
        }
        JsonNode next = "*".equals(path[depth]) ? schema.get("items") : schema.path("properties").get(path[depth]);
        if (next != null) {
            found.addAll(fieldsAt(root, next, path, depth + 1));
        }
        return found;
    }

    private static void walk(JsonNode schema, String at, boolean input, List<String> problems) {
        if (!schema.isObject()) {
            return;
        }
        if (schema.has("enum")) {
            problems.add(at + ": bare enum; label values with oneOf of const + title");
        }
        boolean link = schema.path("x-link").asBoolean(false);
        if (link && (!input || !"string".equals(schema.path("type").asText()) || schema.has("pattern") || schema.has("format"))) {
            problems.add(at + ": a link (x-link) is an input string without pattern or format; a missing protocol header is a warning");
        }
        if (input && !link && "string".equals(schema.path("type").asText()) && !schema.has("pattern")
                && schema.path("description").asText().matches("(?s).*(协议头|http或者https头).*")) {
            problems.add(at + ": a link WeCom opens is marked x-link (the result warns when it lacks http:// or https://)");
        }
        JsonNode oneOf = schema.path("oneOf");
        if (oneOf.isArray() && oneOf.size() > 0 && allHave(oneOf, "const")) {
            oneOf.forEach(o -> {
                if (!o.has("title")) {
                    problems.add(at + ": enum value " + o.get("const") + " has no title");
                }
            });
        }
        JsonNode properties = schema.path("properties");
        if (properties.isObject()) {
            boolean closed = schema.path("additionalProperties").isBoolean() && !schema.get("additionalProperties").asBoolean();
            if (input && !closed) {
                problems.add(at + ": input objects must set additionalProperties: false");
            }
            if (!input && closed) {
                problems.add(at + ": output objects must accept fields they do not list");
            }
            properties.fields().forEachRemaining(p -> {
                JsonNode property = p.getValue();
                if (property.isObject() && !property.has("$ref") && (!property.has("title") || !property.has("description"))) {
                    problems.add(at + "/" + p.getKey() + ": missing title or description");
                }
                walk(property, at + "/" + p.getKey(), input, problems);
            });
        }
        for (String keyword : SHAPE_KEYWORDS) {
            if (schema.path(keyword).isObject()) {
                walk(schema.get(keyword), at + "/" + keyword, input, problems);
            }
        }
        for (String keyword : List.of("allOf", "anyOf", "oneOf")) {
            schema.path(keyword).forEach(sub -> walk(sub, at + "/" + keyword, input, problems));
        }
        schema.path("$defs").fields().forEachRemaining(d -> walk(d.getValue(), at + "/$defs/" + d.getKey(), input, problems));
    }

    private static boolean allHave(JsonNode array, String field) {
        for (JsonNode item : array) {
            if (!item.has(field)) {
                return false;
            }
        }
        return true;
    }

    private static <T> List<T> iterable(java.util.Iterator<T> it) {
        List<T> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    private static String read(Path path) throws IOException {
        return Files.readString(path);
    }
}
