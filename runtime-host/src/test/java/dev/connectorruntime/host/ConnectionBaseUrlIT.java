package dev.connectorruntime.host;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connectorruntime.spi.ActionException;
import dev.connectorruntime.spi.ErrorCode;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A connection's baseUrl is http or https, with a host and nothing else that would send or mangle secrets. */
class ConnectionBaseUrlIT {
    private static TestHost test;

    @BeforeAll
    static void start() {
        test = TestHost.start();
    }

    @AfterAll
    static void stop() {
        test.close();
    }

    private static ObjectNode with(String baseUrl) {
        ObjectNode connection = test.connection().deepCopy();
        connection.put("name", "probe");
        connection.put("baseUrl", baseUrl);
        return connection;
    }

    @Test
    void onlyPlainHttpAndHttpsAddressesAreAccepted() {
        String sandbox = test.connection().get("baseUrl").asText();
        for (String bad : List.of("ftp://127.0.0.1:21", "file:///etc/passwd", "http://user:pass@127.0.0.1:1",
                sandbox + "?x=1", sandbox + "#frag", "//no-scheme.example", "http://", "not a url")) {
            ActionException refused = assertThrows(ActionException.class, () -> test.host.addConnection(with(bad)), bad);
            assertEquals(ErrorCode.INVALID_CONNECTION, refused.error().code(), bad);
            assertEquals("/baseUrl", refused.error().fieldErrors().get(0).pointer(), bad);
        }
        assertDoesNotThrow(() -> test.host.addConnection(with(sandbox)));
        assertDoesNotThrow(() -> test.host.addConnection(with("https://qyapi.weixin.qq.com")));
    }
}
