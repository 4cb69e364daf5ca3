package dev.connectorruntime.host.format;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connectorruntime.spi.ActionError;
import dev.connectorruntime.spi.FieldError;

/** The JSON form of an {@link ActionError}, as the CLI and the HTTP API show it; absent fields are left out. */
public final class ErrorJson {
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
        if (error.errcode() != null) {
            body.put("errcode", error.errcode());
        }
        if (error.errmsg() != null) {
            body.put("errmsg", error.errmsg());
        }
        if (error.hint() != null) {
            body.put("hint", error.hint());
        }
        body.put("retryable", error.retryable());
        return body;
    }
}
