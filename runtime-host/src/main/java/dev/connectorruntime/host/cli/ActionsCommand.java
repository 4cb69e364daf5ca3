package dev.connectorruntime.host.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.connectorruntime.host.ConnectorHost;
import dev.connectorruntime.host.format.ActionSummary;
import dev.connectorruntime.spi.ActionDescriptor;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "actions", description = "List every action.")
final class ActionsCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    @Option(names = "--json", description = "Print a JSON array of {id, title, titleEn, category, description, docUrl, method, path, safeToRepeat}.")
    boolean json;

    @Override
    public Integer call() {
        try (ConnectorHost host = root.host()) {
            if (json) {
                ArrayNode list = Io.JSON.createArrayNode();
                host.actions().forEach(action -> list.add(ActionSummary.of(action)));
                System.out.println(Io.json(list));
            } else {
                for (ActionDescriptor action : host.actions()) {
                    System.out.printf("%-32s %-16s %-6s %-44s %s%n", action.id(), action.category(),
                            action.http().method(), action.http().path(), action.title());
                }
            }
            return 0;
        }
    }
}
