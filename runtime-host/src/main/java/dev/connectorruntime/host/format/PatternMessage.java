package dev.connectorruntime.host.format;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The human message of a schema's {@code pattern}: the annotation beside it,
 * {@code "x-patternMessage": {"zh": "...", "en": "..."}}, so no one is shown a regular expression.
 */
public final class PatternMessage {
    /** The annotation keyword beside {@code pattern}. */
    public static final String KEYWORD = "x-patternMessage";

    private PatternMessage() {}

    /** The message in English or Chinese; a plain "wrong format" when the schema has none. */
    public static String of(JsonNode schema, boolean english) {
        JsonNode message = schema.path(KEYWORD).path(english ? "en" : "zh");
        if (message.isTextual() && !message.asText().isBlank()) {
            return message.asText();
        }
        return english ? "has the wrong format" : "格式不正确";
    }
}
