package dev.connectorruntime.wecom.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Small JSON helpers for sandbox routes. */
final class Json {
    private Json() {}

    static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    static ArrayNode array() {
        return JsonNodeFactory.instance.arrayNode();
    }

    static ArrayNode array(Collection<String> values) {
        ArrayNode array = array();
        values.forEach(array::add);
        return array;
    }

    /** The texts of an array node (empty for a missing node). */
    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null) {
            array.forEach(v -> out.add(v.asText()));
        }
        return out;
    }

    /** Copies {@code from}'s fields except {@code skip} into {@code to}. */
    static void merge(ObjectNode to, JsonNode from, String... skip) {
        from.fields().forEachRemaining(e -> {
            for (String s : skip) {
                if (s.equals(e.getKey())) {
                    return;
                }
            }
            to.set(e.getKey(), e.getValue().deepCopy());
        });
    }

    static void addText(ArrayNode array, String value) {
        for (JsonNode v : array) {
            if (v.asText().equalsIgnoreCase(value)) {
                return;
            }
        }
        array.add(value);
    }

    static void addNumber(ArrayNode array, long value) {
        for (JsonNode v : array) {
            if (v.asLong() == value) {
                return;
            }
        }
        array.add(value);
    }

    static void removeText(ArrayNode array, String value) {
        for (int i = array.size() - 1; i >= 0; i--) {
            if (array.get(i).asText().equalsIgnoreCase(value)) {
                array.remove(i);
            }
        }
    }
}
