package dev.connectorruntime.host.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.connectorruntime.spi.ActionError;
import dev.connectorruntime.spi.ActionException;
import dev.connectorruntime.spi.FieldError;
import java.io.IOException;
import java.util.List;

/**
 * Parses a caller's input bytes (CLI, HTTP API) into JSON: malformed JSON, invalid UTF-8, duplicate
 * keys, trailing content and empty input are input errors, never exceptions.
 */
public final class InputParser {
    private static final ObjectReader READER = Json.MAPPER.reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .with(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION);

    private InputParser() {}

    public static JsonNode parse(byte[] input) throws ActionException {
        try {
            JsonNode node = READER.readTree(input);
            if (node == null || node.isMissingNode()) {
                throw error("输入为空 (the input is empty)");
            }
            return node;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw error("输入不是有效的 JSON (the input is not valid JSON" + where + ": " + e.getOriginalMessage().split("\n")[0] + ")");
        } catch (IOException e) {
            throw error("输入无法读取 (the input cannot be read: " + e.getClass().getSimpleName() + ")");
        }
    }

    private static ActionException error(String message) {
        return new ActionException(ActionError.invalidInput(List.of(new FieldError("", "json", "/: " + message))));
    }
}
