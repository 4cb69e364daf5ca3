package dev.connectorruntime.host.cli;

import dev.connectorruntime.host.ConnectorHost;
import dev.connectorruntime.host.ExecuteOptions;
import dev.connectorruntime.spi.ActionError;
import dev.connectorruntime.spi.FieldError;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "validate", description = "Check an input against the action's schema; nothing is sent. Exit 0 when valid, else 1 with the errors as JSON.")
final class ValidateCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    @Parameters(paramLabel = "<actionId>")
    String actionId;

    @Option(names = "--input", required = true, paramLabel = "<file|->", description = "Input JSON file, or - for standard input.")
    String input;

    @Mixin
    ConnectionOptions connection = new ConnectionOptions();

    @Override
    public Integer call() {
        try (ConnectorHost host = root.host()) {
            return Io.guarded(() -> {
                try (ConnectionOptions.Session session = connection.open(host)) {
                    List<FieldError> errors = host.validate(actionId, Io.read(input, System.in),
                            new ExecuteOptions(session.connection(), connection.locale()));
                    if (errors.isEmpty()) {
                        System.out.println(Io.json(Io.JSON.createObjectNode().put("valid", true)));
                        return 0;
                    }
                    System.out.println(Io.error(ActionError.invalidInput(errors, connection.locale())));
                    return 1;
                }
            });
        }
    }
}
