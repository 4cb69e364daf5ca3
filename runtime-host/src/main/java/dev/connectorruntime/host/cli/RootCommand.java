package dev.connectorruntime.host.cli;

import dev.connectorruntime.host.ConnectorHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code runtime-host}: the operator's CLI. */
@Command(name = "runtime-host", mixinStandardHelpOptions = true, version = "runtime-host 0.1.0",
        description = "Low-code connector runtime: list, describe, validate and execute connector actions; receive trigger events.")
final class RootCommand {
    /** The subcommands, in the order help lists them. Registered by {@link Main}, see there why. */
    static final List<Class<?>> SUBCOMMANDS = List.of(ActionsCommand.class, DescribeCommand.class, ValidateCommand.class,
            ExecuteCommand.class, TestConnectionCommand.class, ServeCommand.class, DemoCommand.class, ApiKeyCommand.class,
            ConnectionsCommand.class, TriggersCommand.class, DescribeTriggerCommand.class, ListenCommand.class);

    /** Root options that take a value: the word after them is not a subcommand name. */
    static final Set<String> OPTIONS_WITH_VALUES = Set.of("--plugins", "--connectors", "--openapi", "--data-dir");

    @Option(names = "--plugins", paramLabel = "<dir>",
            description = "Plugins directory (default: $RUNTIME_PLUGINS, else plugins/ of the installation).")
    Path plugins;

    @Option(names = {"--connectors", "--openapi"}, paramLabel = "<file|dir>",
            description = "A connector source, repeatable: a file (an OpenAPI document, or its connector file) or a folder of"
                    + " them, read by the plugins that make connectors from files (default: $RUNTIME_CONNECTORS, else"
                    + " connectors/ of the installation when it exists).")
    List<Path> connectorSources = new ArrayList<>();

    @Option(names = "--data-dir", paramLabel = "<dir>",
            description = "Where the host keeps its durable state (trigger events, subscriptions); created only when needed"
                    + " (default: $RUNTIME_DATA_DIR, else ./data).")
    Path dataDir;

    ConnectorHost host() {
        return builder().build();
    }

    /** A host builder with the plugins and connector sources of this command line. */
    ConnectorHost.Builder builder() {
        ConnectorHost.Builder builder = ConnectorHost.builder().pluginsDir(pluginsDir()).connectorSources(connectorSources());
        return dataDir == null ? builder : builder.dataDir(dataDir);
    }

    List<Path> connectorSources() {
        if (!connectorSources.isEmpty()) {
            return connectorSources;
        }
        String env = System.getenv("RUNTIME_CONNECTORS");
        if (env != null && !env.isBlank()) {
            return List.of(Path.of(env));
        }
        Path installed = Path.of(System.getProperty("runtime.home", "."), "connectors");
        return Files.isDirectory(installed) ? List.of(installed) : List.of();
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
