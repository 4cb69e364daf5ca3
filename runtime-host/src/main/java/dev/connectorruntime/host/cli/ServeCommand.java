package dev.connectorruntime.host.cli;

import dev.connectorruntime.host.ConnectorHost;
import dev.connectorruntime.host.connections.ConnectionEnvironment;
import dev.connectorruntime.host.http.ApiServer;
import dev.connectorruntime.spi.ActionException;
import dev.connectorruntime.spi.Sandbox;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "serve", description = "Serve the HTTP API and the designer page until stopped.")
final class ServeCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    @Option(names = "--port", defaultValue = "8080", description = "Port (default 8080; 0 picks a free one).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Interface to bind (default 127.0.0.1).")
    String bindHost;

    @Option(names = "--sandbox", description = "Start the embedded WeCom sandbox and make it the default connection.")
    boolean sandbox;

    @Option(names = "--connection", paramLabel = "<file>", description = "A connection file; repeat for several tenants.")
    List<Path> connectionFiles = new ArrayList<>();

    @Option(names = "--api-key-file", paramLabel = "<file>",
            description = "File holding the API key execute calls must carry as a bearer token (default: $RUNTIME_API_KEY; none: no key).")
    Path apiKeyFile;

    @Option(names = "--redis", paramLabel = "<redis://host:port>",
            description = "Share tokens, tickets and rate limits with other hosts on this Redis (default: $RUNTIME_REDIS_URL; none: per host).")
    String redis;

    @Option(names = "--max-body-bytes", defaultValue = "1048576", description = "Largest request body (default 1 MiB).")
    long maxBodyBytes;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (ConnectorHost host = root.builder().meters(prometheus)
                .redis(redis != null ? redis : System.getenv("RUNTIME_REDIS_URL")).build()) {
            Sandbox.Instance running = null;
            try {
                if (sandbox) {
                    running = host.startSandbox(null);
                    host.addConnection(running.connection());
                }
                for (Path file : connectionFiles) {
                    host.addConnection(Io.read(file.toString(), System.in));
                }
                var env = ConnectionEnvironment.read(System.getenv());
                if (env != null) {
                    host.addConnection(env);
                }
            } catch (Io.InputError e) {
                System.out.println(Io.error(e.error));
                return 1;
            } catch (ActionException e) {
                System.out.println(Io.error(e.error()));
                return 1;
            }
            String apiKey = apiKeyFile != null ? Files.readString(apiKeyFile).trim() : System.getenv("RUNTIME_API_KEY");
            ApiServer.Settings settings = new ApiServer.Settings(bindHost, port, apiKey == null || apiKey.isBlank() ? null : apiKey, maxBodyBytes);
            try (ApiServer server = ApiServer.start(host, prometheus, settings)) {
                System.out.println("Serving " + host.actions().size() + " actions on http://" + bindHost + ":" + server.port()
                        + "/ (connections: " + host.connectionNames() + (settings.apiKey() != null ? ", API key required" : "") + ")");
                CountDownLatch stop = new CountDownLatch(1);
                Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
                stop.await();
            } finally {
                if (running != null) {
                    running.close();
                }
            }
            return 0;
        }
    }
}
