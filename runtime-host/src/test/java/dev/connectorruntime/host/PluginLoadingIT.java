package dev.connectorruntime.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.connectorruntime.spi.ActionDescriptor;
import java.nio.file.Files;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The WeCom connector arrives as a packaged PF4J plugin from a plugins directory, not from the classpath. */
class PluginLoadingIT {

    @Test
    void theHostLoadsTheConnectorFromThePackagedZipInAPluginsDirectory() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("dev.connectorruntime.wecom.WeComConnector"),
                "the plugin must not be on the host's classpath");
        try (TestHost test = TestHost.start()) {
            assertTrue(Files.isDirectory(test.pluginsDir.resolve("wecom-plugin")), "PF4J expanded the zip it loaded");
            assertEquals("wecom", test.host.connectors().get(0).id());
            Set<String> ids = test.host.actions().stream().map(ActionDescriptor::id).collect(Collectors.toSet());
            assertTrue(ids.containsAll(Set.of("user_get", "user_create", "user_update", "user_delete", "user_simplelist",
                    "department_create", "department_list", "tag_create", "tag_addtagusers", "tag_get", "message_send")), ids.toString());
        }
    }

    @Test
    void anEmptyPluginsDirectoryIsAClearStartupError() throws Exception {
        var empty = Files.createTempDirectory("no-plugins");
        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> ConnectorHost.builder().pluginsDir(empty).build());
        assertTrue(error.getMessage().contains("no connector plugin"), error.getMessage());
    }
}
