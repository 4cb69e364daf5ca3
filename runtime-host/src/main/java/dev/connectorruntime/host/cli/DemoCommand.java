package dev.connectorruntime.host.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.connectorruntime.host.ConnectorHost;
import dev.connectorruntime.host.ExecuteOptions;
import dev.connectorruntime.spi.ActionException;
import dev.connectorruntime.spi.ConnectorInfo;
import dev.connectorruntime.host.http.ApiServer;
import dev.connectorruntime.host.triggers.EventFilter;
import dev.connectorruntime.spi.Sandbox;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "demo", description = "Start the embedded sandbox and run each connector's demo scenario, printing every step.")
final class DemoCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    @Override
    public Integer call() throws ActionException, IOException {
        Path data = Files.createTempDirectory("runtime-demo"); // the demo's events are not kept
        try (ConnectorHost host = root.builder().dataDir(data).build()) {
            boolean ok = true;
            for (ConnectorInfo connector : host.connectors()) {
                JsonNode scenario = host.demoScenario(connector.id()).orElse(null);
                if (scenario == null) {
                    continue;
                }
                try (Sandbox.Instance sandbox = host.startSandbox(connector.id());
                     ApiServer server = ApiServer.start(host, null, ApiServer.Settings.local().withHost("127.0.0.1", 0))) {
                    System.out.println("Sandbox of " + connector.title() + " (" + connector.id() + ") at " + sandbox.baseUrl());
                    String name = host.addConnection(sandbox.connection());
                    // the sandbox sends the callbacks of the demo's writes here, as the upstream would
                    sandbox.sendCallbacksTo(URI.create("http://127.0.0.1:" + server.port() + "/callbacks/" + name));
                    long from = host.eventLog().lastSequence();
                    DemoScenario.Listener listener = (trigger, filter, timeout) -> host.delivery()
                            .poll(EventFilter.of(trigger, name).where(filter), from, timeout, 1).stream().findFirst()
                            .map(event -> event.event());
                    ok &= DemoScenario.run(host, scenario, ExecuteOptions.DEFAULTS.withConnection(name), System.out, listener);
                }
            }
            return ok ? 0 : 1;
        } finally {
            deleteQuietly(data);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temporary directory: the system cleans it eventually
        }
    }
}
