package dev.connectorruntime.host.format;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connectorruntime.spi.CredentialCheck;
import java.util.List;

/** The JSON report of a connection test: {@code {connection, secrets: [{kind, ok, error?}], ok}}; never a secret. */
public final class ConnectionReport {
    private ConnectionReport() {}

    public static ObjectNode of(String connection, List<CredentialCheck> checks) {
        ObjectNode report = Json.MAPPER.createObjectNode();
        report.put("connection", connection);
        ArrayNode secrets = report.putArray("secrets");
        for (CredentialCheck check : checks) {
            ObjectNode item = secrets.addObject().put("kind", check.kind()).put("ok", check.ok());
            if (check.error() != null) {
                item.set("error", ErrorJson.of(check.error()));
            }
        }
        report.put("ok", !checks.isEmpty() && checks.stream().allMatch(CredentialCheck::ok));
        return report;
    }
}
