package dev.connectorruntime.host.connections;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connectorruntime.host.format.Json;
import java.util.Locale;
import java.util.Map;

/**
 * A connection given by environment variables: {@code CONNECTION_SECRET_<KIND>} -> {@code secrets.<kind>},
 * {@code CONNECTION_<NAME>} -> the camelCase field ({@code CONNECTION_CORP_ID} -> {@code corpId},
 * {@code CONNECTION_AGENT_ID} -> {@code agentId}, {@code CONNECTION_BASE_URL} -> {@code baseUrl}).
 */
public final class ConnectionEnvironment {
    private ConnectionEnvironment() {}

    /** The connection JSON, or null when no CONNECTION_* variable is set. Whole numbers and true/false stay JSON numbers and booleans. */
    public static ObjectNode read(Map<String, String> env) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        env.forEach((key, value) -> {
            if (key.startsWith("CONNECTION_SECRET_")) {
                json.with("secrets").put(key.substring("CONNECTION_SECRET_".length()).toLowerCase(Locale.ROOT), value);
            } else if (key.startsWith("CONNECTION_")) {
                String field = camel(key.substring("CONNECTION_".length()));
                if (value.matches("-?\\d{1,18}")) {
                    json.put(field, Long.parseLong(value));
                } else if (value.equals("true") || value.equals("false")) {
                    json.put(field, Boolean.parseBoolean(value));
                } else {
                    json.put(field, value);
                }
            }
        });
        return json.isEmpty() ? null : json;
    }

    private static String camel(String envName) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : envName.toLowerCase(Locale.ROOT).toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }
}
