package dev.connectorruntime.host.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connectorruntime.host.ConnectorHost;
import dev.connectorruntime.host.format.ConnectionReport;
import dev.connectorruntime.spi.ActionError;
import dev.connectorruntime.spi.CredentialCheck;
import dev.connectorruntime.spi.ErrorCode;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code connections list|get|put|delete}: managed connections in the data directory's store (with
 * {@code --redis}, running hosts see the change within a second). While a host without Redis serves
 * from the same data directory, change connections through its HTTP API instead.
 */
@Command(name = "connections", description = "Manage stored connections: list, get (no secrets), put (create or replace), delete.",
        subcommands = {ConnectionsCommand.List.class, ConnectionsCommand.Get.class, ConnectionsCommand.Put.class,
            ConnectionsCommand.Delete.class})
final class ConnectionsCommand {
    @ParentCommand
    RootCommand root;

    @Mixin
    StoreOptions store = new StoreOptions();

    @Option(names = "--redis", paramLabel = "<redis://host:port>",
            description = "The Redis the serving hosts share (default: $RUNTIME_REDIS_URL): the change reaches them all.")
    String redis;

    ConnectorHost host() {
        return store.apply(root.builder()).redis(redis != null ? redis : System.getenv("RUNTIME_REDIS_URL")).build();
    }

    @Command(name = "list", description = "Names of the stored connections.")
    static final class List implements Callable<Integer> {
        @ParentCommand
        ConnectionsCommand parent;

        @Override
        public Integer call() {
            try (ConnectorHost host = parent.host()) {
                System.out.println(Io.json(host.connectionNames()));
                return 0;
            }
        }
    }

    @Command(name = "get", description = "A stored connection without its secrets (secretKinds says which it has).")
    static final class Get implements Callable<Integer> {
        @ParentCommand
        ConnectionsCommand parent;

        @Parameters(paramLabel = "<name>")
        String name;

        @Override
        public Integer call() {
            try (ConnectorHost host = parent.host()) {
                return Io.guarded(() -> {
                    ObjectNode connection = host.connection(name).orElseThrow(() -> unknown(name));
                    System.out.println(Io.json(connection));
                    return 0;
                });
            }
        }
    }

    @Command(name = "put", description = "Create or replace a connection from a JSON file (- for stdin); a secret kind left out keeps its stored value.")
    static final class Put implements Callable<Integer> {
        @ParentCommand
        ConnectionsCommand parent;

        @Parameters(paramLabel = "<file|->")
        String file;

        @Option(names = "--test", description = "First check each secret upstream; save nothing if one is rejected.")
        boolean test;

        @Override
        public Integer call() {
            try (ConnectorHost host = parent.host()) {
                return Io.guarded(() -> {
                    JsonNode connection = Io.read(file, System.in);
                    if (test) {
                        java.util.List<CredentialCheck> checks = host.testConnection(connection);
                        if (checks.stream().anyMatch(c -> !c.ok())) {
                            System.out.println(Io.json(ConnectionReport.of(connection.path("name").asText(), checks)));
                            return 1;
                        }
                    }
                    String name = host.addConnection(connection);
                    System.out.println(Io.json(host.connection(name).orElseThrow()));
                    return 0;
                });
            }
        }
    }

    @Command(name = "delete", description = "Remove a stored connection.")
    static final class Delete implements Callable<Integer> {
        @ParentCommand
        ConnectionsCommand parent;

        @Parameters(paramLabel = "<name>")
        String name;

        @Override
        public Integer call() {
            try (ConnectorHost host = parent.host()) {
                return Io.guarded(() -> {
                    if (!host.removeConnection(name)) {
                        throw unknown(name);
                    }
                    return 0;
                });
            }
        }
    }

    private static Io.InputError unknown(String name) {
        return new Io.InputError(ActionError.of(ErrorCode.INVALID_CONNECTION, "Unknown connection '" + name + "'"));
    }
}
