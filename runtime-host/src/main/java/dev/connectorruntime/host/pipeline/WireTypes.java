package dev.connectorruntime.host.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Sends each validated input field with the JSON type the upstream expects. A number with no
 * fractional part ({@code 1.0}) is sent as an integer ({@code 1}); a field listed in a descriptor's
 * {@code sendAs} (input pointer, {@code *} for every item of an array -> {@code string}) accepts
 * another type too, an integer id from another action's output, and is sent as that type.
 */
public final class WireTypes {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private record Conversion(String[] path) {}

    private final List<Conversion> conversions;

    private WireTypes(List<Conversion> conversions) {
        this.conversions = conversions;
    }

    /** The conversions a descriptor declares under {@code sendAs} (a missing node: only the number rule). */
    public static WireTypes of(JsonNode declared) {
        List<Conversion> conversions = new ArrayList<>();
        if (declared != null && declared.isObject()) {
            for (Map.Entry<String, JsonNode> entry : declared.properties()) {
                if (!"string".equals(entry.getValue().asText())) {
                    throw new IllegalArgumentException("sendAs " + entry.getKey() + ": only \"string\" is supported");
                }
                conversions.add(new Conversion(entry.getKey().substring(1).split("/")));
            }
        }
        return new WireTypes(List.copyOf(conversions));
    }

    /** A copy of {@code input} with every value in the type it is sent as; {@code input} itself is not changed. */
    public ObjectNode apply(ObjectNode input) {
        ObjectNode out = (ObjectNode) wholeNumbers(input);
        for (Conversion conversion : conversions) {
            toText(out, conversion.path, 0);
        }
        return out;
    }

    private static JsonNode wholeNumbers(JsonNode node) {
        if (node.isFloatingPointNumber() && isWhole(node)) {
            return NODES.numberNode(node.decimalValue().toBigIntegerExact());
        }
        if (node.isObject()) {
            ObjectNode copy = NODES.objectNode();
            node.properties().forEach(e -> copy.set(e.getKey(), wholeNumbers(e.getValue())));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = NODES.arrayNode();
            node.forEach(item -> copy.add(wholeNumbers(item)));
            return copy;
        }
        return node;
    }

    private static boolean isWhole(JsonNode number) {
        try {
            number.decimalValue().toBigIntegerExact();
            return true;
        } catch (ArithmeticException e) {
            return false;
        }
    }

    private static void toText(JsonNode node, String[] path, int depth) {
        String segment = path[depth];
        boolean leaf = depth == path.length - 1;
        if ("*".equals(segment) && node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                if (leaf) {
                    if (array.get(i).isNumber()) {
                        array.set(i, NODES.textNode(array.get(i).asText()));
                    }
                } else {
                    toText(array.get(i), path, depth + 1);
                }
            }
        } else if (node instanceof ObjectNode object && object.has(segment)) {
            if (leaf) {
                if (object.get(segment).isNumber()) {
                    object.put(segment, object.get(segment).asText());
                }
            } else {
                toText(object.get(segment), path, depth + 1);
            }
        }
    }
}
