package dev.connectorruntime.host.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import dev.connectorruntime.spi.FieldError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Runs a compiled schema and turns its errors into {@link FieldError}s: one per field and rule, the
 * field as a JSON Pointer, the message in the caller's language (Chinese by default).
 */
public final class InputValidator {
    /** Keywords whose error names a child property rather than the location itself. */
    private static final Set<String> NAMES_PROPERTY = Set.of("required", "additionalProperties", "dependentRequired", "unevaluatedProperties");
    /** Keywords that only summarize errors reported in detail elsewhere. */
    private static final Set<String> SUMMARY = Set.of("allOf", "if", "then", "else", "$ref");

    private InputValidator() {}

    public static List<FieldError> validate(Schema schema, JsonNode input, Locale locale) {
        List<Error> errors = schema.validate(input, context -> context.executionConfig(c -> c.locale(locale)));
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
            if (error.getProperty() != null && NAMES_PROPERTY.contains(keyword)) {
                pointer = pointer + "/" + escape(error.getProperty());
            }
            String message = (pointer.isEmpty() ? "/" : pointer) + ": " + error.getMessage();
            unique.putIfAbsent(pointer + " " + keyword + " " + message, new FieldError(pointer, keyword, message));
        }
        return new ArrayList<>(unique.values());
    }

    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }
}
