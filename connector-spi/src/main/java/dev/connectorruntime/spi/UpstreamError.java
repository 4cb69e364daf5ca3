package dev.connectorruntime.spi;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the upstream said when it refused a call, in any API's terms.
 *
 * @param code the upstream's error code as text ({@code "60111"}, {@code "invalid_client"}), or null
 * @param message the upstream's error message, or null
 * @param status the HTTP status of the answer, or null when there was none
 * @param details fields the connector's users know the error by, shown beside the host's own fields
 *     of an error (for WeCom: {@code errcode} and {@code errmsg}); a field the host uses is not
 *     overwritten
 */
public record UpstreamError(String code, String message, Integer status, ObjectNode details) {

    public UpstreamError {
        details = details == null ? JsonNodeFactory.instance.objectNode() : details.deepCopy();
    }

    /** An error known by its HTTP status and the body's message only. */
    public static UpstreamError ofStatus(int status, String message) {
        return new UpstreamError(null, message, status, null);
    }
}
