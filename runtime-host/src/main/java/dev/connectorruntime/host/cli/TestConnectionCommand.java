package dev.connectorruntime.host.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connectorruntime.host.ConnectorHost;
import dev.connectorruntime.host.ErrorJson;
import dev.connectorruntime.spi.ActionException;
import dev.connectorruntime.spi.CredentialCheck;
import dev.connectorruntime.spi.Sandbox;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "test-connection", description = "Check each secret of a connection with the upstream; report per secret kind (never the secret). Exit 0 when all pass.")
final class TestConnectionCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    @Option(names = "--sandbox", description = "Check the connection of a fresh embedded sandbox.")
    boolean sandbox;

    @Mixin
    ConnectionOptions connection = new ConnectionOptions();

    @Override
    public Integer call() {
        try (ConnectorHost host = root.host()) {
            Sandbox.Instance running = sandbox ? host.startSandbox(null) : null;
            try {
                String name = running != null ? host.addConnection(running.connection()) : connection.addTo(host);
                List<CredentialCheck> checks = host.testConnection(name);
                ObjectNode report = Io.JSON.createObjectNode();
                report.put("connection", name);
                ArrayNode list = report.putArray("secrets");
                for (CredentialCheck check : checks) {
                    ObjectNode item = list.addObject().put("kind", check.kind()).put("ok", check.ok());
                    if (check.error() != null) {
                        item.set("error", ErrorJson.of(check.error()));
                    }
                }
                boolean ok = !checks.isEmpty() && checks.stream().allMatch(CredentialCheck::ok);
                report.put("ok", ok);
                System.out.println(Io.json(report));
                return ok ? 0 : 1;
            } finally {
                if (running != null) {
                    running.close();
                }
            }
        } catch (Io.InputError e) {
            System.out.println(Io.error(e.error));
            return 1;
        } catch (ActionException e) {
            System.out.println(Io.error(e.error()));
            return 1;
        }
    }
}
