package dev.connectorruntime.host.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connectorruntime.host.ConnectorHost;
import dev.connectorruntime.host.format.ConnectionReport;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

@Command(name = "test-connection", description = "Check each secret of a connection with the upstream; report per secret kind (never the secret). Exit 0 when all pass.")
final class TestConnectionCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    @Mixin
    ConnectionOptions connection = new ConnectionOptions();

    @Override
    public Integer call() {
        try (ConnectorHost host = root.host()) {
            return Io.guarded(() -> {
                try (ConnectionOptions.Session session = connection.open(host)) {
                    ObjectNode report = ConnectionReport.of(session.connection(), host.testConnection(session.connection()));
                    System.out.println(Io.json(report));
                    return report.get("ok").asBoolean() ? 0 : 1;
                }
            });
        }
    }
}
