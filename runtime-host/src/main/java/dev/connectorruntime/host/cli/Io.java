package dev.connectorruntime.host.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connectorruntime.host.format.ErrorJson;
import dev.connectorruntime.host.format.InputParser;
import dev.connectorruntime.spi.ActionError;
import dev.connectorruntime.spi.ActionException;
import dev.connectorruntime.spi.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** JSON in and out for the commands. */
final class Io {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Io() {}

    /** Reads JSON from a file, or standard input for {@code -}. Malformed JSON is an input error. */
    static JsonNode read(String source, InputStream stdin) throws InputError {
        byte[] bytes;
        try {
            bytes = "-".equals(source) ? stdin.readAllBytes() : Files.readAllBytes(Path.of(source));
        } catch (IOException e) {
            throw new InputError(ActionError.of(ErrorCode.INVALID_INPUT, "cannot read " + source + ": " + e.getMessage()));
        }
        try {
            return InputParser.parse(bytes);
        } catch (ActionException e) {
            throw new InputError(e.error());
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

    /** A command's body, whose input and connection failures are printed as {@code {"error": ...}}. */
    @FunctionalInterface
    interface Body {
        int run() throws InputError, ActionException;
    }

    /** Runs {@code body}; an input or connection failure prints the structured error and exits 1. */
    static int guarded(Body body) {
        try {
            return body.run();
        } catch (InputError e) {
            System.out.println(error(e.error));
            return 1;
        } catch (ActionException e) {
            System.out.println(error(e.error()));
            return 1;
        }
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
