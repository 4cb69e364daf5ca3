package dev.connectorruntime.host.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connectorruntime.host.ErrorJson;
import dev.connectorruntime.spi.ActionError;
import dev.connectorruntime.spi.ErrorCode;
import dev.connectorruntime.spi.FieldError;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** JSON in and out for the commands. */
final class Io {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Io() {}

    /** Reads JSON from a file, or standard input for {@code -}. Malformed JSON is an input error. */
    static JsonNode read(String source, InputStream stdin) throws InputError {
        try {
            byte[] bytes = "-".equals(source) ? stdin.readAllBytes() : Files.readAllBytes(Path.of(source));
            JsonNode node = JSON.readTree(bytes);
            if (node == null || node.isMissingNode()) {
                throw new InputError(ActionError.invalidInput(List.of(new FieldError("", "json", "输入为空 (the input is empty)"))));
            }
            return node;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new InputError(ActionError.invalidInput(List.of(new FieldError("", "json",
                    "输入不是有效的 JSON (the input is not valid JSON" + where + ")"))));
        } catch (IOException e) {
            throw new InputError(ActionError.of(ErrorCode.INVALID_INPUT, "cannot read " + source + ": " + e.getMessage()));
        }
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code {"error": {...}}} with the structured error. */
    static String error(ActionError error) {
        ObjectNode wrapper = JSON.createObjectNode();
        wrapper.set("error", ErrorJson.of(error));
        return json(wrapper);
    }

    /** A failure before anything ran (unreadable input, connection file). */
    static final class InputError extends Exception {
        final ActionError error;

        InputError(ActionError error) {
            super(error.message(), null, false, false);
            this.error = error;
        }
    }
}
