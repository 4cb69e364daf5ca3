package dev.connectorruntime.host.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.connectorruntime.spi.FieldError;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Limits the upstream applies by cutting a field rather than rejecting the call (a descriptor's
 * {@code truncates}: input pointer -> {@code maxLength} in characters or {@code maxBytes} in UTF-8
 * bytes; {@code *} stands for every item of an array). Such a field is sent as given; each one over
 * its limit becomes a warning of the result.
 */
public final class Truncations {
    public static final Truncations NONE = new Truncations(List.of());

    private record Limit(String[] path, String pointer, int max, boolean bytes) {}

    private final List<Limit> limits;

    private Truncations(List<Limit> limits) {
        this.limits = limits;
    }

    /** The limits a descriptor declares under {@code truncates} (a missing node: none). */
    public static Truncations of(JsonNode declared) {
        if (declared == null || !declared.isObject()) {
            return NONE;
        }
        List<Limit> limits = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : declared.properties()) {
            String pointer = entry.getKey();
            JsonNode limit = entry.getValue();
            boolean bytes = limit.has("maxBytes");
            int max = (bytes ? limit.get("maxBytes") : limit.path("maxLength")).asInt();
            limits.add(new Limit(InputPaths.segments(pointer), pointer, max, bytes));
        }
        return new Truncations(List.copyOf(limits));
    }

    /** One warning per field of {@code input} longer than its limit, in the caller's language. */
    public List<FieldError> check(JsonNode input, Locale locale) {
        if (limits.isEmpty()) {
            return List.of();
        }
        List<FieldError> warnings = new ArrayList<>();
        for (Limit limit : limits) {
            InputPaths.each(input, limit.path, (at, node) -> {
                if (node.isTextual()) {
                    String text = node.textValue();
                    int size = limit.bytes ? text.getBytes(StandardCharsets.UTF_8).length : text.codePointCount(0, text.length());
                    if (size > limit.max) {
                        warnings.add(new FieldError(at, "truncated", message(at, limit, size, locale)));
                    }
                }
            });
        }
        return warnings;
    }

    private static String message(String at, Limit limit, int size, Locale locale) {
        if (Locale.ENGLISH.getLanguage().equals(locale.getLanguage())) {
            String unit = limit.bytes ? " bytes (UTF-8)" : " characters";
            return at + ": " + size + unit + "; the upstream keeps the first " + limit.max + unit + " and cuts the rest";
        }
        String unit = limit.bytes ? " 字节（UTF-8）" : " 个字符";
        return at + ": 长度 " + size + unit + "，超过 " + limit.max + unit + "的部分将被接口截断";
    }
}
