package dev.connectorruntime.host.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.BiConsumer;

/** Walks an input along a path of property names, where {@code *} stands for every item of an array. */
final class InputPaths {
    private InputPaths() {}

    /** Splits a pointer such as {@code /news/articles/*}{@code /url} into unescaped segments. */
    static String[] segments(String pointer) {
        String[] path = pointer.substring(1).split("/");
        for (int i = 0; i < path.length; i++) {
            path[i] = path[i].replace("~1", "/").replace("~0", "~");
        }
        return path;
    }

    /** Calls {@code visitor} with the JSON Pointer and the value of every field of {@code input} the path reaches. */
    static void each(JsonNode input, String[] path, BiConsumer<String, JsonNode> visitor) {
        each(input, path, 0, "", visitor);
    }

    private static void each(JsonNode node, String[] path, int depth, String at, BiConsumer<String, JsonNode> visitor) {
        if (depth == path.length) {
            visitor.accept(at, node);
            return;
        }
        String segment = path[depth];
        if ("*".equals(segment) && node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                each(node.get(i), path, depth + 1, at + "/" + i, visitor);
            }
        } else if (node.isObject() && node.has(segment)) {
            each(node.get(segment), path, depth + 1, at + "/" + segment.replace("~", "~0").replace("/", "~1"), visitor);
        }
    }
}
