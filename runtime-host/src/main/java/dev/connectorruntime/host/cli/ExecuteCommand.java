package dev.connectorruntime.host.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.connectorruntime.host.ConnectorHost;
import dev.connectorruntime.host.ExecuteOptions;
import dev.connectorruntime.spi.ActionException;
import dev.connectorruntime.spi.ExecutionResult;
import dev.connectorruntime.spi.Sandbox;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "execute", description = "Execute an action: its output JSON on stdout and exit 0, or {\"error\": {...}} and exit 1.")
final class ExecuteCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    @Parameters(paramLabel = "<actionId>")
    String actionId;

    @Option(names = "--input", required = true, paramLabel = "<file|->", description = "Input JSON file, or - for standard input.")
    String input;

    @Option(names = "--sandbox", description = "Run against a fresh embedded sandbox instead of a real connection.")
    boolean sandbox;

    @Mixin
    ConnectionOptions connection = new ConnectionOptions();

    @Override
    public Integer call() {
        try (ConnectorHost host = root.host()) {
            JsonNode payload = Io.read(input, System.in);
            Sandbox.Instance running = sandbox ? host.startSandbox(null) : null;
            try {
                String name = running != null ? host.addConnection(running.connection()) : connection.addTo(host);
                ExecutionResult result = host.execute(actionId, payload, new ExecuteOptions(name, connection.locale()));
                if (result instanceof ExecutionResult.Success success) {
                    System.out.println(Io.json(success.output()));
                    return 0;
                }
                System.out.println(Io.error(((ExecutionResult.Failure) result).error()));
                return 1;
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
