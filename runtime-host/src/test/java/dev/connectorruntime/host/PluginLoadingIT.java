package dev.connectorruntime.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.connectorruntime.spi.ActionDescriptor;
import dev.connectorruntime.spi.ActionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The WeCom connector and its sandbox arrive as packaged PF4J plugins from a plugins directory, not
 * from the classpath.
 */
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
    void theSandboxIsAPluginOfItsOwnFoundThroughTheSandboxExtension() throws Exception {
        Path dist = Path.of(System.getProperty("runtime.dist", "target/dist"), "plugins");
        try (ZipFile connector = new ZipFile(dist.resolve("wecom-plugin.zip").toFile())) {
            assertTrue(connector.stream().noneMatch(e -> e.getName().contains("/wecom/sandbox/") || e.getName().contains("sandbox/seed.json")),
                    "the connector ships without its sandbox");
        }
        Path onlyTheConnector = Files.createTempDirectory("plugins");
        Files.copy(dist.resolve("wecom-plugin.zip"), onlyTheConnector.resolve("wecom-plugin.zip"));
        try (ConnectorHost host = ConnectorHost.builder().pluginsDir(onlyTheConnector).build()) {
            ActionException none = assertThrows(ActionException.class, () -> host.startSandbox("wecom"));
            assertTrue(none.error().message().contains("No sandbox for connector wecom"), none.error().message());
        }
        try (TestHost test = TestHost.start()) {
            assertTrue(Files.isDirectory(test.pluginsDir.resolve("wecom-sandbox-plugin")), "PF4J expanded the sandbox's zip");
            assertEquals("wecom", test.host.connectionConnector("sandbox").id());
            assertTrue(test.sandbox.baseUrl().getHost().equals("127.0.0.1"), test.sandbox.baseUrl().toString());
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
