package dev.connectorruntime.wecom;

import com.fasterxml.jackson.databind.JsonNode;
import dev.connectorruntime.spi.ActionException;
import dev.connectorruntime.spi.HttpMethod;
import dev.connectorruntime.spi.LocalHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code wecom_api_call}: any WeCom API by method and path, with the connection's token, retries and errors. */
final class RawCall implements LocalHandler {
    static final String HANDLER_NAME = "raw_call";

    @Override
    public JsonNode handle(JsonNode input, Call call) throws ActionException {
        HttpMethod method = HttpMethod.valueOf(input.path("method").asText("POST"));
        List<Map.Entry<String, String>> query = new ArrayList<>();
        input.path("query").fields().forEachRemaining(e -> query.add(Map.entry(e.getKey(), e.getValue().asText())));
        JsonNode body = method == HttpMethod.POST ? input.path("body").isObject() ? input.get("body") : call.action().input().objectNode() : null;
        return call.send(input.path("credential").asText("app"), method, input.get("path").asText(), query, body);
    }
}
