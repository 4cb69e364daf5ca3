package dev.connectorruntime.host.cli;

import dev.connectorruntime.host.ConnectorHost;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code runtime-host}: the operator's CLI. */
@Command(name = "runtime-host", mixinStandardHelpOptions = true, version = "runtime-host 0.1.0",
        description = "Low-code connector runtime: list, describe, validate and execute connector actions.",
        subcommands = {ActionsCommand.class, DescribeCommand.class, ValidateCommand.class, ExecuteCommand.class,
            TestConnectionCommand.class, ServeCommand.class, DemoCommand.class})
final class RootCommand {

    @Option(names = "--plugins", paramLabel = "<dir>",
            description = "Plugins directory (default: $RUNTIME_PLUGINS, else plugins/ of the installation).")
    Path plugins;

    ConnectorHost host() {
        return ConnectorHost.builder().pluginsDir(pluginsDir()).build();
    }

    Path pluginsDir() {
        if (plugins != null) {
            return plugins;
        }
        String env = System.getenv("RUNTIME_PLUGINS");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("runtime.home", "."), "plugins");
    }
}
