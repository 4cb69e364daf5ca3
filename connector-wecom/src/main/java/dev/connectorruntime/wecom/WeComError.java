package dev.connectorruntime.wecom;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connectorruntime.spi.UpstreamError;

/** WeCom's error as an upstream error: its callers know it by {@code errcode} and {@code errmsg}. */
final class WeComError {
    private WeComError() {}

    static UpstreamError of(int errcode, String errmsg, Integer status) {
        ObjectNode details = JsonNodeFactory.instance.objectNode().put("errcode", errcode).put("errmsg", errmsg);
        return new UpstreamError(Integer.toString(errcode), errmsg, status, details);
    }
}
