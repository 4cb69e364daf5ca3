package dev.connectorruntime.spi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * Local work for an action that is more than one plain HTTP call (for WeCom, the JS-SDK signature).
 * Runs after the input was validated; may call the action's upstream endpoint through {@code call}.
 */
@FunctionalInterface
public interface LocalHandler {

    JsonNode handle(JsonNode input, Call call) throws ActionException;

    /** The services a handler may use during one call. */
    interface Call {
        ActionDescriptor action();

        Connection connection();

        TokenStore tokens();

        /** Runs the action's HTTP binding with {@code input} through the executor (auth, retries, errors). */
        JsonNode upstream(JsonNode input) throws ActionException;

        /**
         * Sends any request of the connector's API through the executor (auth with the given secret
         * kind, retries, errors), for a raw call. {@code body} is sent as JSON when not null. Never
         * resent unless the failure proves it was not applied.
         */
        JsonNode send(String credential, HttpMethod method, String path, List<Map.Entry<String, String>> query, JsonNode body)
                throws ActionException;
    }
}
