package dev.connectorruntime.host.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.connectorruntime.host.ConnectorHost;
import dev.connectorruntime.host.ExecuteOptions;
import dev.connectorruntime.spi.ExecutionResult;
import java.util.Map;
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

    @Option(names = "--all-pages", description = "Follow every page of a paged action and merge the items.")
    boolean allPages;

    @Option(names = "--max-items", defaultValue = "10000", description = "With --all-pages: stop after this many items (default 10000).")
    int maxItems;

    @Option(names = "--max-pages", defaultValue = "100", description = "With --all-pages: stop after this many pages (default 100).")
    int maxPages;

    @Mixin
    ConnectionOptions connection = new ConnectionOptions();

    @Override
    public Integer call() {
        try (ConnectorHost host = root.host()) {
            return Io.guarded(() -> {
                JsonNode payload = Io.read(input, System.in);
                try (ConnectionOptions.Session session = connection.open(host)) {
                    ExecuteOptions options = new ExecuteOptions(session.connection(), connection.locale());
                    if (allPages) {
                        options = options.withPages(ExecuteOptions.Pages.all(maxItems, maxPages));
                    }
                    ExecutionResult result = host.execute(actionId, payload, options);
                    if (result instanceof ExecutionResult.Success success) {
                        if (!success.warnings().isEmpty()) {
                            System.err.println(Io.json(Map.of("warnings", success.warnings())));
                        }
                        System.out.println(Io.json(success.output()));
                        return 0;
                    }
                    System.out.println(Io.error(((ExecutionResult.Failure) result).error()));
                    return 1;
                }
            });
        }
    }
}
