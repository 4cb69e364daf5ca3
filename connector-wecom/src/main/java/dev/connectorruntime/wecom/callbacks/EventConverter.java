package dev.connectorruntime.wecom.callbacks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Turns a WeCom callback's XML into the JSON event of its trigger, guided by the trigger's schema, the
 * same way for every trigger: each child element becomes a field of the same name; where the schema
 * says {@code integer} or {@code number} the text becomes a number; where it says {@code array}, a
 * single comma-separated text ({@code <Department>1,2,3</Department>}) becomes the list of its values
 * and repeated elements ({@code <Item>} of {@code ExtAttr}) become one entry each. Elements the schema
 * does not know are kept: text as a string, nested elements as an object, repeated ones as an array.
 * A value that does not parse as the number the schema expects is kept as its text, never dropped.
 */
final class EventConverter {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private EventConverter() {}

    static ObjectNode convert(Element root, JsonNode schema) {
        Map<String, List<Element>> byName = new LinkedHashMap<>();
        for (Node child = root.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element element) {
                byName.computeIfAbsent(element.getTagName(), k -> new ArrayList<>()).add(element);
            }
        }
        ObjectNode out = JSON.objectNode();
        byName.forEach((name, elements) -> {
            JsonNode field = schema == null ? null : schema.path("properties").get(name);
            if (isType(field, "array")) {
                out.set(name, list(elements, field.path("items")));
            } else if (elements.size() > 1) {
                ArrayNode repeated = out.putArray(name);
                elements.forEach(e -> repeated.add(value(e, field)));
            } else {
                out.set(name, value(elements.get(0), field));
            }
        });
        return out;
    }

    private static ArrayNode list(List<Element> elements, JsonNode items) {
        ArrayNode array = JSON.arrayNode();
        Element only = elements.get(0);
        if (elements.size() == 1 && !hasElements(only) && isScalar(items)) {
            String text = only.getTextContent().trim();
            if (!text.isEmpty()) {
                for (String part : text.split(",")) {
                    array.add(scalar(part.trim(), items));
                }
            }
            return array;
        }
        elements.forEach(e -> array.add(value(e, items)));
        return array;
    }

    private static JsonNode value(Element element, JsonNode schema) {
        return hasElements(element) ? convert(element, schema) : scalar(element.getTextContent(), schema);
    }

    private static JsonNode scalar(String text, JsonNode schema) {
        if (isType(schema, "integer")) {
            String trimmed = text.trim();
            try {
                BigInteger value = new BigInteger(trimmed);
                return value.bitLength() < 32 ? JSON.numberNode(value.intValue())
                        : value.bitLength() < 64 ? JSON.numberNode(value.longValue()) : JSON.numberNode(value);
            } catch (NumberFormatException e) {
                return JSON.textNode(text);
            }
        }
        if (isType(schema, "number")) {
            String trimmed = text.trim();
            try {
                if (trimmed.contains(".") || trimmed.contains("e") || trimmed.contains("E")) {
                    return JSON.numberNode(Double.parseDouble(trimmed));
                }
                return scalar(trimmed, JSON.objectNode().put("type", "integer"));
            } catch (NumberFormatException e) {
                return JSON.textNode(text);
            }
        }
        return JSON.textNode(text);
    }

    private static boolean hasElements(Element element) {
        for (Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element) {
                return true;
            }
        }
        return false;
    }

    private static boolean isScalar(JsonNode schema) {
        return isType(schema, "integer") || isType(schema, "number") || isType(schema, "string");
    }

    /**
     * True when the schema's {@code type} is {@code type}; a schema without one whose {@code anyOf}
     * branches each name a type counts as the first branch's (a number or, failing that, text).
     */
    private static boolean isType(JsonNode schema, String type) {
        if (schema == null) {
            return false;
        }
        JsonNode declared = schema.path("type");
        if (declared.isMissingNode()) {
            JsonNode branches = schema.path("anyOf");
            boolean typed = branches.isArray() && branches.size() > 0;
            for (JsonNode branch : branches) {
                typed &= branch.path("type").isTextual();
            }
            declared = typed ? branches.get(0).path("type") : declared;
        }
        return declared.isTextual() && declared.asText().equals(type);
    }
}
