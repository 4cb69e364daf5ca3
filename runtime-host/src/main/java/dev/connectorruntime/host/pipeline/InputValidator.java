package dev.connectorruntime.host.pipeline;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import dev.connectorruntime.host.format.PatternMessage;
import dev.connectorruntime.spi.FieldError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a compiled schema and turns its errors into {@link FieldError}s: one per field and rule, the
 * field as a JSON Pointer, the message in the caller's language (Chinese by default) and in words:
 * <ul>
 *   <li>a broken {@code pattern} says the message the schema writes beside it
 *       ({@code "x-patternMessage": {"zh": "...", "en": "..."}}), never the regular expression;</li>
 *   <li>a missing required field is named by its title;</li>
 *   <li>"at least one of" ({@code anyOf} of {@code required}) is one message, reported at each of its fields.</li>
 * </ul>
 */
public final class InputValidator {
    /** Keywords whose error names a child property rather than the location itself. */
    private static final Set<String> NAMES_PROPERTY = Set.of("required", "additionalProperties", "dependentRequired", "unevaluatedProperties");
    /** Keywords that only summarize errors reported in detail elsewhere. */
    private static final Set<String> SUMMARY = Set.of("allOf", "if", "then", "else", "$ref");
    private static final Pattern ANY_OF_REQUIRED = Pattern.compile("^(.*)/anyOf/\\d+/required$");
    private static final Pattern SUBSCHEMA = Pattern.compile("^(.*)/(?:(?:allOf|anyOf|oneOf)/\\d+|then|else|if)$");

    private InputValidator() {}

    public static List<FieldError> validate(Schema schema, JsonNode input, Locale locale) {
        List<Error> errors = schema.validate(input, context -> context.executionConfig(c -> c.locale(locale)));
        JsonNode root = schema.getSchemaNode();
        boolean english = Locale.ENGLISH.getLanguage().equals(locale.getLanguage());
        Map<String, FieldError> unique = new LinkedHashMap<>();
        for (Error error : errors) {
            String keyword = error.getKeyword();
            if (SUMMARY.contains(keyword)) {
                continue;
            }
            String pointer = error.getInstanceLocation().toString();
            if (pointer.equals("$") || pointer.equals("/")) {
                pointer = "";
            }
            String location = fragment(error);
            Matcher anyOf = ANY_OF_REQUIRED.matcher(location);
            if ("required".equals(keyword) && anyOf.matches()) {
                for (FieldError each : atLeastOneOf(root, anyOf.group(1), pointer, english)) {
                    unique.putIfAbsent(each.pointer() + " anyOf", each);
                }
                continue;
            }
            String text = error.getMessage();
            if (error.getProperty() != null && NAMES_PROPERTY.contains(keyword)) {
                if ("required".equals(keyword)) {
                    text = requiredMessage(titleOf(root, parent(location), error.getProperty()), english);
                }
                pointer = pointer + "/" + escape(error.getProperty());
            } else if ("pattern".equals(keyword)) {
                text = PatternMessage.of(node(root, parent(location)), english);
            }
            String message = (pointer.isEmpty() ? "/" : pointer) + ": " + text;
            unique.putIfAbsent(pointer + " " + keyword + " " + message, new FieldError(pointer, keyword, message));
        }
        return new ArrayList<>(unique.values());
    }

    private static String requiredMessage(String title, boolean english) {
        return english ? title + " is required" : "必须填写" + title;
    }

    /**
     * {@code anyOf: [{required: [mobile]}, {required: [email]}]} failed: one message naming every
     * alternative by its title, at each alternative's field.
     */
    private static List<FieldError> atLeastOneOf(JsonNode root, String objectLocation, String pointer, boolean english) {
        JsonNode alternatives = node(root, objectLocation + "/anyOf");
        List<String> names = new ArrayList<>();
        List<String> pointers = new ArrayList<>();
        for (JsonNode alternative : alternatives) {
            for (JsonNode name : alternative.path("required")) {
                names.add(titleOf(root, objectLocation, name.asText()));
                pointers.add(pointer + "/" + escape(name.asText()));
            }
        }
        String text = english ? "fill in at least one of: " + String.join(" / ", names)
                : "须至少填写其一：" + String.join("、", names);
        List<FieldError> errors = new ArrayList<>();
        pointers.forEach(p -> errors.add(new FieldError(p, "anyOf", p + ": " + text)));
        return errors;
    }

    /** "手机号码（mobile）" from the object schema's property title; the bare name when it has none. */
    private static String titleOf(JsonNode root, String objectLocation, String property) {
        String location = objectLocation;
        String title = "";
        while (true) {
            title = node(root, location).path("properties").path(property).path("title").asText("");
            Matcher inner = SUBSCHEMA.matcher(location);
            if (!title.isEmpty() || !inner.matches()) {
                break;
            }
            location = inner.group(1); // a rule inside allOf / then: the titles are on the object itself
        }
        return title.isEmpty() || title.equals(property) ? property : title + "（" + property + "）";
    }

    private static String fragment(Error error) {
        String location = error.getSchemaLocation().toString();
        int hash = location.indexOf('#');
        return hash < 0 ? "" : location.substring(hash + 1);
    }

    private static String parent(String location) {
        int slash = location.lastIndexOf('/');
        return slash <= 0 ? "" : location.substring(0, slash);
    }

    private static JsonNode node(JsonNode root, String location) {
        try {
            return location.isEmpty() ? root : root.at(JsonPointer.compile(location));
        } catch (IllegalArgumentException e) {
            return root.path("");
        }
    }

    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }
}
