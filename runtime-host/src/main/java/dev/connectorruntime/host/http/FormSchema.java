package dev.connectorruntime.host.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connectorruntime.host.format.PatternMessage;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns an input JSON Schema (2020-12) into the dialect of json-editor (the designer's form library):
 * <ul>
 *   <li>local {@code $ref}s inlined (json-editor would otherwise try to fetch them);</li>
 *   <li>labelled enums ({@code oneOf} of {@code const} + {@code title}) as {@code enum} +
 *       {@code options.enum_titles};</li>
 *   <li>a body chosen by a type field ({@code if: {properties: {msgtype: {const: "textcard"}}},
 *       then: {required: ["textcard"]}}) as {@code options.dependencies: {msgtype: "textcard"}}, with the
 *       body listed in the object's {@code required} (json-editor does not require a property whose
 *       dependencies are unmet): the form shows only the chosen type's object, without an opt-in
 *       checkbox, and leaves the others out of the value;</li>
 *   <li>"at least one of" rules ({@code anyOf} of {@code required}) written into the object's description,
 *       their fields shown ({@code defaultProperties}) rather than left in the "add field" list;</li>
 *   <li>array items without a title titled after their array (json-editor numbers the rows after it);</li>
 *   <li>a body whose fields depend on a type field ({@code template_card}'s {@code card_type}: {@code if} the
 *       type is X {@code then} only these {@code properties}) as {@code options.dependencies} on each field
 *       not every type allows, so the form shows the chosen type's fields only;</li>
 *   <li>the message beside a {@code pattern} ({@code x-patternMessage}) as json-editor's
 *       {@code options.patternmessage} in the page's language; an RGB colour pattern as {@code format: color};
 *       Unix-second integers ({@code x-unixSeconds}) as {@code format: datetime-local} (local time);</li>
 *   <li>the first of {@code examples} as the input's placeholder; {@code deprecated} in the title; booleans
 *       labelled 是 / 否 or Yes / No;</li>
 *   <li>free-form objects (no {@code properties}) editable as JSON;</li>
 *   <li>keywords json-editor does not understand, or would check differently (conditionals, {@code not},
 *       {@code propertyNames}, {@code patternProperties}), dropped.</li>
 * </ul>
 * Validation stays with the real schema on the server.
 */
final class FormSchema {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int MAX_DEPTH = 32;
    private static final String COLOUR = "^#[0-9A-Fa-f]{6}$";
    /** The annotation keyword of an integer that holds a point in time as Unix seconds. */
    private static final String UNIX_SECONDS = "x-unixSeconds";
    private static final String[] DROPPED = {
        "allOf", "anyOf", "if", "then", "else", "not", "patternProperties", "propertyNames", "$comment", "$id", "$anchor"
    };

    static ObjectNode of(JsonNode input) {
        return of(input, Locale.SIMPLIFIED_CHINESE);
    }

    /** The form schema with its messages and labels in the language ({@code en} or else Chinese). */
    static ObjectNode of(JsonNode input, Locale locale) {
        FormSchema converter = new FormSchema("en".equals(locale.getLanguage()));
        ObjectNode form = converter.convert(input, input.path("$defs"), 0);
        form.remove("$schema");
        return form;
    }

    private final boolean english;

    private FormSchema(boolean english) {
        this.english = english;
    }

    private ObjectNode convert(JsonNode source, JsonNode defs, int depth) {
        ObjectNode schema = resolve(source, defs, 0).deepCopy();
        schema.remove("$defs");
        schema.remove("$schema");
        if (depth > MAX_DEPTH) {
            return schema;
        }
        labelledEnum(schema);
        JsonNode properties = schema.path("properties");
        if (properties instanceof ObjectNode props) {
            Iterator<Map.Entry<String, JsonNode>> fields = props.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                field.setValue(convert(field.getValue(), defs, depth + 1));
            }
            variants(schema, props);
            List<String> shown = new ArrayList<>();
            fieldsByType(schema, props, shown);
            atLeastOneOf(schema, props, shown);
            shownFirst(schema, props, shown);
        } else if ("object".equals(schema.path("type").asText()) && schema.path("additionalProperties").asBoolean(true)) {
            // A free-form object (a raw request body, query parameters): let the user type it as JSON or add properties.
            schema.with("options").put("disable_edit_json", false).put("disable_properties", false);
        }
        if (schema.path("items").isObject()) {
            ObjectNode items = convert(schema.get("items"), defs, depth + 1);
            if (!items.has("title") && schema.has("title")) {
                items.put("title", schema.get("title").asText()); // json-editor numbers the rows after it
            }
            schema.set("items", items);
        }
        if (schema.path("additionalProperties").isObject()) {
            schema.set("additionalProperties", convert(schema.get("additionalProperties"), defs, depth + 1));
        }
        typeUnion(schema);
        for (String keyword : DROPPED) {
            schema.remove(keyword);
        }
        if (schema.has("oneOf")) {
            ArrayNode variants = NODES.arrayNode();
            schema.get("oneOf").forEach(v -> variants.add(convert(v, defs, depth + 1)));
            schema.set("oneOf", variants);
        }
        if (schema.path("deprecated").asBoolean(false) && schema.has("title")) {
            schema.put("title", schema.get("title").asText() + "（已废弃 deprecated）");
        }
        if ("boolean".equals(schema.path("type").asText()) && !schema.path("options").has("enum_titles")) {
            schema.with("options").set("enum_titles", english ? NODES.arrayNode().add("Yes").add("No")
                    : NODES.arrayNode().add("是").add("否"));
        }
        inputKind(schema);
        placeholder(schema);
        return schema;
    }

    /**
     * {@code anyOf} of alternative types (the type WeCom expects first, one more the runtime accepts
     * and converts): the form offers the first.
     */
    private static void typeUnion(ObjectNode schema) {
        JsonNode anyOf = schema.path("anyOf");
        if (schema.has("type") || !anyOf.isArray() || anyOf.isEmpty()) {
            return;
        }
        for (JsonNode branch : anyOf) {
            if (!branch.has("type")) {
                return;
            }
        }
        anyOf.get(0).fields().forEachRemaining(e -> {
            if (!schema.has(e.getKey())) {
                schema.set(e.getKey(), e.getValue());
            }
        });
    }

    /** Pattern messages in the page's language; colour and date-time inputs for the values that are such. */
    private void inputKind(ObjectNode schema) {
        if (schema.has("pattern")) {
            schema.with("options").put("patternmessage", PatternMessage.of(schema, english));
            if (COLOUR.equals(schema.get("pattern").asText()) && "string".equals(schema.path("type").asText())) {
                schema.put("format", "color");
            }
        }
        if (schema.path(UNIX_SECONDS).asBoolean(false) && "integer".equals(schema.path("type").asText())) {
            schema.put("format", "datetime-local"); // json-editor keeps the value in Unix seconds, shows local time
            schema.remove("minimum");
            schema.remove("maximum");
        }
    }

    private static JsonNode resolve(JsonNode node, JsonNode defs, int hops) {
        String ref = node.path("$ref").asText("");
        if (!ref.startsWith("#/$defs/") || hops > MAX_DEPTH) {
            return node;
        }
        JsonNode target = defs.path(ref.substring("#/$defs/".length()));
        if (!target.isObject()) {
            ObjectNode copy = ((ObjectNode) node).deepCopy();
            copy.remove("$ref");
            return copy;
        }
        ObjectNode merged = ((ObjectNode) resolve(target, defs, hops + 1)).deepCopy();
        node.fields().forEachRemaining(e -> {
            if (!e.getKey().equals("$ref")) {
                merged.set(e.getKey(), e.getValue());
            }
        });
        return merged;
    }

    /** {@code oneOf: [{const, title}...]} -> {@code enum} + {@code options.enum_titles}. */
    private static void labelledEnum(ObjectNode schema) {
        JsonNode oneOf = schema.path("oneOf");
        if (!oneOf.isArray() || oneOf.isEmpty()) {
            return;
        }
        ArrayNode values = NODES.arrayNode();
        ArrayNode titles = NODES.arrayNode();
        for (JsonNode option : oneOf) {
            if (!option.has("const")) {
                return;
            }
            values.add(option.get("const"));
            titles.add(option.path("title").asText(option.get("const").asText()));
        }
        schema.remove("oneOf");
        schema.set("enum", values);
        schema.with("options").set("enum_titles", titles);
        if (!schema.has("type")) {
            schema.put("type", values.get(0).isNumber() ? (values.get(0).isIntegralNumber() ? "integer" : "number")
                    : values.get(0).isBoolean() ? "boolean" : "string");
        }
    }

    /**
     * A body picked by a required type field: {@code allOf: [{if: {properties: {msgtype: {const: "text"}}},
     * then: {required: ["text"]}}]} -> property {@code text} gets {@code options.dependencies: {msgtype: "text"}}
     * and is listed in the object's {@code required}, so it is shown, without an opt-in checkbox, exactly when
     * its type is chosen, and left out of the value otherwise (json-editor does not require a property whose
     * dependencies are unmet). Only properties named after the
     * chosen value are treated so: a field that one type requires but others merely allow (a card's
     * {@code main_title}, the connection-filled {@code agentid}) stays an ordinary optional field.
     */
    private static void variants(ObjectNode schema, ObjectNode properties) {
        Map<String, List<JsonNode>> chosenBy = new LinkedHashMap<>();
        Map<String, String> fieldOf = new LinkedHashMap<>();
        for (JsonNode rule : schema.path("allOf")) {
            Map.Entry<String, JsonNode> condition = condition(rule.path("if"));
            if (condition == null || !required(schema, condition.getKey())) {
                continue;
            }
            String field = condition.getKey();
            JsonNode value = condition.getValue();
            for (JsonNode required : rule.path("then").path("required")) {
                String target = required.asText();
                if (target.equals(field) || !value.isTextual() || !target.equals(value.asText())
                        || !(properties.get(target) instanceof ObjectNode) || required(schema, target)) {
                    continue;
                }
                chosenBy.computeIfAbsent(target, k -> new ArrayList<>()).add(value);
                fieldOf.put(target, field);
            }
        }
        chosenBy.forEach((target, values) -> {
            ObjectNode targetSchema = (ObjectNode) properties.get(target);
            ObjectNode dependencies = targetSchema.with("options").with("dependencies");
            if (values.size() == 1) {
                dependencies.set(fieldOf.get(target), values.get(0));
            } else {
                ArrayNode any = NODES.arrayNode();
                values.forEach(any::add);
                dependencies.set(fieldOf.get(target), any);
            }
            if (!required(schema, target)) {
                schema.withArray("required").add(target);
            }
        });
    }

    /**
     * {@code allOf: [{if: {properties: {card_type: {const: "text_notice"}}}, then: {additionalProperties: false,
     * properties: {...the fields this type allows}, required: [...]}}, ...]}: each field that not every type
     * allows gets {@code options.dependencies: {card_type: [the types that allow it]}}, so json-editor shows it
     * only for those; a field some type requires is shown without adding it.
     */
    private static void fieldsByType(ObjectNode schema, ObjectNode properties, List<String> shown) {
        Map<String, List<JsonNode>> allowedBy = new LinkedHashMap<>();
        List<String> requiredSomewhere = new ArrayList<>();
        String switchField = null;
        int variants = 0;
        for (JsonNode rule : schema.path("allOf")) {
            Map.Entry<String, JsonNode> condition = condition(rule.path("if"));
            JsonNode then = rule.path("then");
            if (condition == null || !then.path("properties").isObject() || then.path("additionalProperties").asBoolean(true)
                    || (switchField != null && !switchField.equals(condition.getKey()))) {
                continue;
            }
            switchField = condition.getKey();
            variants++;
            then.get("properties").fieldNames().forEachRemaining(name ->
                    allowedBy.computeIfAbsent(name, k -> new ArrayList<>()).add(condition.getValue()));
            then.path("required").forEach(r -> requiredSomewhere.add(r.asText()));
        }
        if (switchField == null || variants < 2) {
            return;
        }
        String field = switchField;
        Iterator<Map.Entry<String, JsonNode>> fields = properties.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> property = fields.next();
            List<JsonNode> values = allowedBy.getOrDefault(property.getKey(), List.of());
            if (property.getKey().equals(field) || !(property.getValue() instanceof ObjectNode target)) {
                continue;
            }
            if (values.size() < variants) {
                ArrayNode any = NODES.arrayNode();
                values.forEach(any::add);
                target.with("options").with("dependencies").set(field, any);
            }
            if (requiredSomewhere.contains(property.getKey())) {
                shown.add(property.getKey());
            }
        }
    }

    /** The one {@code field: {const: value}} an {@code if} tests, or null (other entries may be {@code true}). */
    private static Map.Entry<String, JsonNode> condition(JsonNode ifSchema) {
        JsonNode properties = ifSchema.path("properties");
        if (!properties.isObject()) {
            return null;
        }
        Map.Entry<String, JsonNode> found = null;
        Iterator<Map.Entry<String, JsonNode>> fields = properties.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getValue().isBoolean() && field.getValue().asBoolean()) {
                continue;
            }
            JsonNode value = field.getValue().get("const");
            if (value == null || found != null) {
                return null;
            }
            found = Map.entry(field.getKey(), value);
        }
        return found;
    }

    private static boolean required(JsonNode schema, String property) {
        for (JsonNode name : schema.path("required")) {
            if (name.asText().equals(property)) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code anyOf: [{required: [a]}, {required: [b]}]} (on the object or inside its {@code allOf}) cannot
     * be expressed in the form; the object's description says it: "须至少填写其一 / at least one of: ...".
     */
    /**
     * json-editor shows an object's required fields and offers the others in its "add field" list; fields
     * a person must consider (one of several, required by some type) are shown too ({@code defaultProperties}).
     */
    private static void shownFirst(ObjectNode schema, ObjectNode properties, List<String> shown) {
        if (shown.isEmpty()) {
            return;
        }
        ArrayNode defaults = NODES.arrayNode();
        properties.fieldNames().forEachRemaining(name -> {
            if (required(schema, name) || shown.contains(name)) {
                defaults.add(name);
            }
        });
        schema.set("defaultProperties", defaults);
    }

    private static void atLeastOneOf(ObjectNode schema, ObjectNode properties, List<String> shown) {
        List<JsonNode> groups = new ArrayList<>();
        if (schema.has("anyOf")) {
            groups.add(schema.get("anyOf"));
        }
        for (JsonNode rule : schema.path("allOf")) {
            if (rule.has("anyOf") && rule.size() == 1) {
                groups.add(rule.get("anyOf"));
            }
        }
        StringBuilder notes = new StringBuilder();
        for (JsonNode group : groups) {
            List<String> alternatives = new ArrayList<>();
            for (JsonNode alternative : group) {
                if (alternative.size() != 1 || !alternative.path("required").isArray()) {
                    alternatives = null;
                    break;
                }
                List<String> names = new ArrayList<>();
                alternative.get("required").forEach(n -> names.add(label(properties, n.asText())));
                if (alternative.get("required").size() == 1) {
                    shown.add(alternative.get("required").get(0).asText()); // a pair (appid + pagepath) stays in the list
                }
                alternatives.add(String.join(" + ", names));
            }
            if (alternatives != null && alternatives.size() > 1) {
                notes.append(notes.length() == 0 ? "" : "；")
                        .append("须至少填写其一 / at least one of: ").append(String.join("、", alternatives));
            }
        }
        if (notes.length() > 0) {
            String description = schema.path("description").asText("");
            schema.put("description", description.isEmpty() ? notes + "。" : description + "（" + notes + "）");
        }
    }

    private static String label(ObjectNode properties, String name) {
        String title = properties.path(name).path("title").asText("");
        return title.isEmpty() || title.equals(name) ? name : title + "（" + name + "）";
    }

    /** The first example of a text or number field as its placeholder. */
    private static void placeholder(ObjectNode schema) {
        String type = schema.path("type").asText("");
        JsonNode example = schema.path("examples").path(0);
        if (schema.has("enum") || !(type.equals("string") || type.equals("integer") || type.equals("number"))
                || !example.isValueNode() || example.isNull()) {
            return;
        }
        ObjectNode attributes = schema.with("options").with("inputAttributes");
        if (!attributes.has("placeholder")) {
            attributes.put("placeholder", "例 e.g. " + example.asText());
        }
    }
}
