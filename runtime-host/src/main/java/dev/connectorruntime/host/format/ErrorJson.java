package dev.connectorruntime.host.format;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connectorruntime.spi.ActionError;
import dev.connectorruntime.spi.FieldError;
import dev.connectorruntime.spi.UpstreamError;
import java.util.Set;

/**
 * The JSON form of an {@link ActionError}, as the CLI and the HTTP API show it; absent fields are left
 * out. An upstream error shows as {@code upstream} (code, message, HTTP status), and its connector's
 * details sit beside the host's fields under the names the connector's users know (for WeCom
 * {@code errcode} and {@code errmsg}).
 */
public final class ErrorJson {
    /** Fields of the error object the host owns; a connector's detail never replaces one. */
    public static final Set<String> HOST_FIELDS = Set.of("code", "message", "fieldErrors", "upstream", "hint", "retryable");

    private ErrorJson() {}

    public static ObjectNode of(ActionError error) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("code", error.code().name());
        body.put("message", error.message());
        if (!error.fieldErrors().isEmpty()) {
            ArrayNode fields = body.putArray("fieldErrors");
            for (FieldError field : error.fieldErrors()) {
                fields.addObject().put("pointer", field.pointer()).put("rule", field.rule()).put("message", field.message());
            }
        }
        UpstreamError upstream = error.upstream();
        if (upstream != null) {
            upstream.details().fields().forEachRemaining(field -> {
                if (!HOST_FIELDS.contains(field.getKey())) {
                    body.set(field.getKey(), field.getValue());
                }
            });
            ObjectNode said = body.putObject("upstream");
            if (upstream.code() != null) {
                said.put("code", upstream.code());
            }
            if (upstream.message() != null) {
                said.put("message", upstream.message());
            }
            if (upstream.status() != null) {
                said.put("status", upstream.status());
            }
        }
        if (error.hint() != null) {
            body.put("hint", error.hint());
        }
        body.put("retryable", error.retryable());
        return body;
    }
}
