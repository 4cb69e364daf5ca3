package dev.connectorruntime.host.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connectorruntime.host.ConnectorHost;
import dev.connectorruntime.host.http.ApiServer;
import dev.connectorruntime.host.triggers.InProcessSubscription;
import dev.connectorruntime.host.triggers.TriggerEvent;
import dev.connectorruntime.spi.ActionError;
import dev.connectorruntime.spi.ActionException;
import dev.connectorruntime.spi.ErrorCode;
import dev.connectorruntime.spi.TriggerDescriptor;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * Receives callbacks like {@code serve} does and prints each new event of one trigger as a JSON line,
 * until interrupted.
 */
@Command(name = "listen", description = "Receive the connection's callbacks and print each new event of a trigger as a JSON line"
        + " {id, trigger, connection, receivedAt, event} until interrupted.")
final class ListenCommand implements Callable<Integer> {
    private static final ObjectMapper LINES = new ObjectMapper();

    @ParentCommand
    RootCommand root;

    @Mixin
    ConnectionOptions connectionOptions;

    @Parameters(paramLabel = "<triggerId>")
    String triggerId;

    @Option(names = "--port", defaultValue = "8080", description = "Port the callbacks arrive on (default 8080; 0 picks a free one).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Interface to bind (default 127.0.0.1).")
    String bindHost;

    @Override
    public Integer call() throws InterruptedException {
        try (ConnectorHost host = root.builder().build()) {
            Optional<TriggerDescriptor> trigger = host.trigger(triggerId);
            if (trigger.isEmpty()) {
                System.out.println(Io.error(ActionError.of(ErrorCode.INVALID_INPUT, "Unknown trigger '" + triggerId + "'")));
                return 1;
            }
            try (ConnectionOptions.Session session = connectionOptions.open(host)) {
                if (session.connection() == null) {
                    System.out.println(Io.error(ActionError.of(ErrorCode.INVALID_CONNECTION,
                            "No connection: give --connection <file>, CONNECTION_* environment variables, or --sandbox")));
                    return 1;
                }
                try (ApiServer server = ApiServer.start(host, null, ApiServer.Settings.local().withHost(bindHost, port));
                        InProcessSubscription subscription = host.subscribe(triggerId, session.connection(), null, ListenCommand::print)) {
                    if (session.sandbox() != null) {
                        // the sandbox's writes and injected events arrive as WeCom's would
                        session.sandbox().sendCallbacksTo(URI.create("http://127.0.0.1:" + server.port() + "/callbacks/" + session.connection()));
                        System.err.println("Sandbox at " + session.sandbox().baseUrl() + " (POST /sandbox/events injects any event)");
                    }
                    System.err.println("Listening for " + triggerId + " at http://" + bindHost + ":" + server.port() + "/callbacks/"
                            + session.connection() + "/" + trigger.get().callbackKind() + " (Ctrl-C to stop)");
                    CountDownLatch interrupted = new CountDownLatch(1);
                    Runtime.getRuntime().addShutdownHook(new Thread(interrupted::countDown, "listen-stop"));
                    interrupted.await();
                }
            }
            return 0;
        } catch (Io.InputError e) {
            System.out.println(Io.error(e.error));
            return 1;
        } catch (ActionException e) {
            System.out.println(Io.error(e.error()));
            return 1;
        }
    }

    private static void print(TriggerEvent event) {
        ObjectNode line = LINES.createObjectNode().put("id", event.id()).put("trigger", event.triggerId())
                .put("connection", event.connection()).put("receivedAt", event.receivedAt().toString());
        line.set("event", event.event());
        try {
            synchronized (System.out) {
                System.out.println(LINES.writeValueAsString(line));
                System.out.flush();
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
