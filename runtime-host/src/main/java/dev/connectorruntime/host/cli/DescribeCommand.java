package dev.connectorruntime.host.cli;

import dev.connectorruntime.host.ConnectorHost;
import dev.connectorruntime.spi.ActionDescriptor;
import dev.connectorruntime.spi.ActionError;
import dev.connectorruntime.spi.ErrorCode;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "describe", description = "Print an action's descriptor as JSON (id, title, http, input and output schemas ...).")
final class DescribeCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    @Parameters(paramLabel = "<actionId>")
    String actionId;

    @Override
    public Integer call() {
        try (ConnectorHost host = root.host()) {
            Optional<ActionDescriptor> action = host.action(actionId);
            if (action.isEmpty()) {
                System.out.println(Io.error(ActionError.of(ErrorCode.UNKNOWN_ACTION, "Unknown action '" + actionId + "'")));
                return 1;
            }
            System.out.println(Io.json(action.get().source()));
            return 0;
        }
    }
}
