package dev.connectorruntime.host.connections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectionEnvironmentTest {

    @Test
    void numbersAndBooleansStayTypedSoTheConnectionSchemaAcceptsThem() {
        ObjectNode connection = ConnectionEnvironment.read(Map.of(
                "CONNECTION_CORP_ID", "ww1234567890abcdef",
                "CONNECTION_AGENT_ID", "1000002",
                "CONNECTION_LEGACY_SYSTEM_SECRETS", "true",
                "CONNECTION_SECRET_SCHOOL", "school-secret"));
        assertEquals("ww1234567890abcdef", connection.get("corpId").textValue());
        assertEquals(1000002, connection.get("agentId").intValue());
        assertTrue(connection.get("legacySystemSecrets").isBoolean() && connection.get("legacySystemSecrets").booleanValue());
        assertEquals("school-secret", connection.at("/secrets/school").textValue());
    }
}
