package dev.connectorruntime.host.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.connectorruntime.host.ConnectorHost;
import dev.connectorruntime.host.ExecuteOptions;
import dev.connectorruntime.spi.ActionException;
import dev.connectorruntime.spi.ConnectorInfo;
import dev.connectorruntime.spi.Sandbox;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "demo", description = "Start the embedded sandbox and run each connector's demo scenario, printing every step.")
final class DemoCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    @Override
    public Integer call() throws ActionException {
        try (ConnectorHost host = root.host()) {
            boolean ok = true;
            for (ConnectorInfo connector : host.connectors()) {
                JsonNode scenario = host.demoScenario(connector.id()).orElse(null);
                if (scenario == null) {
                    continue;
                }
                try (Sandbox.Instance sandbox = host.startSandbox(connector.id())) {
                    System.out.println("Sandbox of " + connector.title() + " (" + connector.id() + ") at " + sandbox.baseUrl());
                    String name = host.addConnection(sandbox.connection());
                    ok &= DemoScenario.run(host, scenario, ExecuteOptions.DEFAULTS.withConnection(name), System.out);
                }
            }
            return ok ? 0 : 1;
        }
    }
}
