package dev.connectorruntime.host.cli;

import dev.connectorruntime.host.ConnectorHost;
import dev.connectorruntime.spi.ActionError;
import dev.connectorruntime.spi.ErrorCode;
import dev.connectorruntime.spi.TriggerDescriptor;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "describe-trigger", description = "Print a trigger's descriptor as JSON (id, titles, callback kind, match, event schema, examples).")
final class DescribeTriggerCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    @Parameters(paramLabel = "<triggerId>")
    String triggerId;

    @Override
    public Integer call() {
        try (ConnectorHost host = root.host()) {
            Optional<TriggerDescriptor> trigger = host.trigger(triggerId);
            if (trigger.isEmpty()) {
                System.out.println(Io.error(ActionError.of(ErrorCode.INVALID_INPUT, "Unknown trigger '" + triggerId + "'")));
                return 1;
            }
            System.out.println(Io.json(trigger.get().source()));
            return 0;
        }
    }
}
