package dev.connectorruntime.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretTest {

    @Test
    void neverPrintsItsValue() {
        Secret secret = Secret.of("s3cr3t-value");
        assertEquals("******", secret.toString());
        assertEquals("s3cr3t-value", secret.reveal());
        Credential credential = Credential.query("access_token", secret, "wecom:token:abc");
        assertFalse(credential.toString().contains("s3cr3t-value"), credential.toString());
        assertFalse(Map.of("app", secret).toString().contains("s3cr3t-value"));
    }
}
