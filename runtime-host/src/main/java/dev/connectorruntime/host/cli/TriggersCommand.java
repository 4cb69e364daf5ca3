package dev.connectorruntime.host.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.connectorruntime.host.ConnectorHost;
import dev.connectorruntime.host.format.TriggerSummary;
import dev.connectorruntime.spi.TriggerDescriptor;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "triggers", description = "List every trigger (events a workflow can start on).")
final class TriggersCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    @Option(names = "--json", description = "Print a JSON array of {id, title, titleEn, category, description, docUrl, callbackKind, match}.")
    boolean json;

    @Override
    public Integer call() {
        try (ConnectorHost host = root.host()) {
            if (json) {
                ArrayNode list = Io.JSON.createArrayNode();
                host.triggers().forEach(trigger -> list.add(TriggerSummary.of(trigger)));
                System.out.println(Io.json(list));
            } else {
                for (TriggerDescriptor trigger : host.triggers()) {
                    System.out.printf("%-46s %-16s %-16s %s%n", trigger.id(), trigger.category(), trigger.callbackKind(), trigger.title());
                }
            }
            return 0;
        }
    }
}
