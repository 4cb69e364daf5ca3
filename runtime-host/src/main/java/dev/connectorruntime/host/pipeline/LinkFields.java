package dev.connectorruntime.host.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.connectorruntime.spi.FieldError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Input fields the upstream shows as links to open (annotated {@code "x-link": true} in the input
 * schema). The upstream does not check them, so any text is accepted; a link without the protocol
 * header {@code http://} or {@code https://} will not open, and becomes a warning of the result.
 */
public final class LinkFields {
    public static final LinkFields NONE = new LinkFields(List.of(), "", "");

    private final List<String[]> paths;
    private final String upstream;
    private final String upstreamEn;

    private LinkFields(List<String[]> paths, String upstream, String upstreamEn) {
        this.paths = paths;
        this.upstream = upstream;
        this.upstreamEn = upstreamEn;
    }

    /**
     * The link fields of an input schema, found through {@code properties}, {@code items} (every item:
     * {@code *}), local {@code $ref}s and the sub-schemas of {@code allOf}/{@code anyOf}/{@code oneOf}/{@code then}/{@code else}.
     *
     * @param upstream the upstream's name in Chinese and in English, for the warning
     */
    public static LinkFields of(JsonNode inputSchema, String upstream, String upstreamEn) {
        if (inputSchema == null) {
            return NONE;
        }
        Map<String, String[]> found = new LinkedHashMap<>();
        collect(inputSchema, inputSchema, new ArrayList<>(), new HashSet<>(), found);
        return found.isEmpty() ? NONE : new LinkFields(List.copyOf(found.values()), upstream, upstreamEn);
    }

    private static void collect(JsonNode root, JsonNode schema, List<String> path, Set<String> refsOnPath, Map<String, String[]> found) {
        if (!schema.isObject()) {
            return;
        }
        if (schema.path("x-link").asBoolean(false)) {
            found.putIfAbsent(String.join("/", path), path.toArray(String[]::new));
        }
        String ref = schema.path("$ref").asText("");
        if (ref.startsWith("#/") && refsOnPath.add(ref)) {
            collect(root, root.at(ref.substring(1)), path, refsOnPath, found);
            refsOnPath.remove(ref);
        }
        for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
            path.add(property.getKey());
            collect(root, property.getValue(), path, refsOnPath, found);
            path.remove(path.size() - 1);
        }
        if (schema.has("items")) {
            path.add("*");
            collect(root, schema.get("items"), path, refsOnPath, found);
            path.remove(path.size() - 1);
        }
        for (String keyword : List.of("allOf", "anyOf", "oneOf")) {
            schema.path(keyword).forEach(branch -> collect(root, branch, path, refsOnPath, found));
        }
        for (String keyword : List.of("then", "else")) {
            if (schema.has(keyword)) {
                collect(root, schema.get(keyword), path, refsOnPath, found);
            }
        }
    }

    /** One warning per link of {@code input} that does not start with http:// or https://, in the caller's language. */
    public List<FieldError> check(JsonNode input, Locale locale) {
        if (paths.isEmpty()) {
            return List.of();
        }
        List<FieldError> warnings = new ArrayList<>();
        for (String[] path : paths) {
            InputPaths.each(input, path, (at, node) -> {
                if (node.isTextual() && !node.textValue().isEmpty() && !hasProtocolHeader(node.textValue())) {
                    warnings.add(new FieldError(at, "protocol", message(at, locale)));
                }
            });
        }
        return warnings;
    }

    private static boolean hasProtocolHeader(String link) {
        return link.regionMatches(true, 0, "http://", 0, 7) || link.regionMatches(true, 0, "https://", 0, 8);
    }

    private String message(String at, Locale locale) {
        if (Locale.ENGLISH.getLanguage().equals(locale.getLanguage())) {
            return at + ": " + upstreamEn + " needs the protocol header http:// or https://; this link will not open";
        }
        return at + "：" + upstream + "需要协议头 http:// 或 https://，此链接将无法打开";
    }
}
