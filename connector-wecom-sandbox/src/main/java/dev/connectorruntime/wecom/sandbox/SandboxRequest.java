package dev.connectorruntime.wecom.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * One authenticated WeCom API request as a route sees it.
 *
 * @param query the query parameters, access_token excluded
 * @param body the JSON body (an empty object for GET), or for multipart the file's metadata
 * @param secretKind the kind of secret the caller's token was issued for
 * @param file for multipart uploads, the file's bytes; otherwise null
 */
record SandboxRequest(String method, String path, Map<String, String> query, ObjectNode body, String secretKind, byte[] file) {

    /** A query parameter, or for POST a body field, as text. */
    String param(String name) {
        if (query.containsKey(name)) {
            return query.get(name);
        }
        JsonNode value = body.get(name);
        return value == null || value.isNull() ? null : value.asText();
    }

    String required(String name) {
        String value = param(name);
        if (value == null || value.isEmpty()) {
            throw WeComError.missing(name);
        }
        return value;
    }

    JsonNode field(String name) {
        JsonNode value = body.get(name);
        return value == null ? JsonNodeFactory.instance.missingNode() : value;
    }

    JsonNode requiredField(String name) {
        JsonNode value = body.get(name);
        if (value == null || value.isNull()) {
            throw WeComError.missing(name);
        }
        return value;
    }
}
