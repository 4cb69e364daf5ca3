package dev.connectorruntime.host.cli;

import dev.connectorruntime.host.ConnectorHost;
import dev.connectorruntime.host.connections.ConnectionEnvironment;
import dev.connectorruntime.host.http.ApiKeys;
import dev.connectorruntime.host.http.ApiServer;
import dev.connectorruntime.spi.ActionException;
import dev.connectorruntime.spi.Sandbox;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Option(names = "--sandbox", description = "Start the embedded sandbox (of the first connector that has one) and make it the default connection.")
    boolean sandbox;

    @Option(names = "--connection", paramLabel = "<file>", description = "A connection file; repeat for several tenants.")
    List<Path> connectionFiles = new ArrayList<>();

    @Option(names = "--api-key-file", paramLabel = "<file>",
            description = "File holding one API key with every right, carried as a bearer token (default: $RUNTIME_API_KEY).")
    Path apiKeyFile;

    @Option(names = "--keys-file", paramLabel = "<file>",
            description = "JSON file of hashed API keys, each with its connections and scopes (default: $RUNTIME_KEYS_FILE; see `api-key`).")
    Path keysFile;

    @Option(names = "--insecure-no-auth",
            description = "Allow binding a non-loopback interface without API keys (anyone who reaches the port may run every action).")
    boolean insecureNoAuth;

    @Option(names = "--allowed-host", paramLabel = "<name>",
            description = "A host name clients reach this server by (besides the bound address and localhost); repeatable.")
    List<String> allowedHosts = new ArrayList<>();

    @Option(names = "--allow-origin", paramLabel = "<origin>",
            description = "An origin (https://app.example.com) whose web pages may call the API; repeatable (default: none).")
    List<String> allowedOrigins = new ArrayList<>();

    @Option(names = "--drain-timeout", defaultValue = "30", paramLabel = "<seconds>",
            description = "On SIGTERM, how long running calls may finish before they are answered OUTCOME_UNKNOWN (default 30).")
    long drainSeconds;

    @Option(names = "--idle-timeout", defaultValue = "30", paramLabel = "<seconds>",
            description = "Close a connection that sends nothing for this long (default 30).")
    long idleSeconds;

    @Option(names = "--max-connections", defaultValue = "1000", description = "Connections served at once; more wait (default 1000).")
    int maxConnections;

    @Option(names = "--redis", paramLabel = "<redis://host:port>",
            description = "Share tokens, tickets and rate limits with other hosts on this Redis (default: $RUNTIME_REDIS_URL; none: per host).")
    String redis;

    @Mixin
    StoreOptions store = new StoreOptions();

    @Option(names = "--redis-optional",
            description = "Start even when Redis refuses the password or TLS (per-host tokens and limits until it is fixed).")
    boolean redisOptional;

    @Option(names = "--max-body-bytes", defaultValue = "1048576", description = "Largest request body (default 1 MiB).")
    long maxBodyBytes;

    /** Counted down once the host is closed, so that the drain hook lets the JVM exit only then. */
    private final CountDownLatch closed = new CountDownLatch(1);

    @Override
    public Integer call() throws IOException, InterruptedException {
        try {
            return serve();
        } finally {
            closed.countDown();
        }
    }

    private int serve() throws IOException, InterruptedException {
        ApiKeys keys;
        try {
            keys = keys();
            if (!keys.required() && !isLoopback(bindHost) && !insecureNoAuth) {
                throw new IllegalArgumentException("binding " + bindHost + " (not loopback) needs API keys (--keys-file or"
                        + " --api-key-file); --insecure-no-auth serves it without any");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("Not starting: " + e.getMessage());
            return 2;
        }
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ConnectorHost built;
        try {
            built = store.apply(root.builder()).meters(prometheus).redisOptional(redisOptional)
                    .redis(redis != null ? redis : System.getenv("RUNTIME_REDIS_URL")).build();
        } catch (IllegalStateException e) {
            System.err.println("Not starting: " + e.getMessage() + (e.getMessage().startsWith("Redis") ? " (or --redis-optional)" : ""));
            return 2;
        }
        try (ConnectorHost host = built) {
            Sandbox.Instance running = null;
            try {
                if (sandbox) {
                    running = host.startSandbox(null);
                    host.addReadOnlyConnection(running.connection(), "the sandbox");
                }
                for (Path file : connectionFiles) {
                    host.addReadOnlyConnection(Io.read(file.toString(), System.in), "file " + file);
                }
                var env = ConnectionEnvironment.read(System.getenv());
                if (env != null) {
                    host.addReadOnlyConnection(env, "the environment");
                }
            } catch (Io.InputError e) {
                System.out.println(Io.error(e.error));
                return 1;
            } catch (ActionException e) {
                System.out.println(Io.error(e.error()));
                return 1;
            }
            host.delivery(); // webhook subscriptions stored before a restart resume now, not at the first request
            ApiServer.Settings settings = ApiServer.Settings.local().withHost(bindHost, port).withKeys(keys)
                    .withMaxBodyBytes(maxBodyBytes).withAllowedHosts(allowedHosts).withAllowedOrigins(allowedOrigins)
                    .withLimits(new ApiServer.Limits(Duration.ofSeconds(drainSeconds), Duration.ofSeconds(idleSeconds), maxConnections));
            ApiServer server = ApiServer.start(host, prometheus, settings);
            if (running != null) {
                // the sandbox pushes the callbacks of its writes to this server, as WeCom would
                String self = "0.0.0.0".equals(bindHost) || "::".equals(bindHost) ? "127.0.0.1" : bindHost;
                running.sendCallbacksTo(java.net.URI.create("http://" + self + ":" + server.port() + "/callbacks/"
                        + running.connection().path("name").asText()));
            }
            CountDownLatch drained = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.drainAndStop();
                drained.countDown();
                try {
                    closed.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "drain"));
            try {
                System.out.println("Serving " + host.actions().size() + " actions on http://" + bindHost + ":" + server.port()
                        + "/ (connections: " + host.connectionNames().size() + (keys.required() ? ", API key required" : "") + ")");
                drained.await();
            } finally {
                if (running != null) {
                    running.close();
                }
            }
            return 0;
        }
    }

    /** The configured keys; an empty or blank key, file or variable is an error, never "no key". */
    private ApiKeys keys() throws IOException {
        String keysPath = keysFile != null ? keysFile.toString() : System.getenv("RUNTIME_KEYS_FILE");
        String single = apiKeyFile != null ? Files.readString(apiKeyFile) : System.getenv("RUNTIME_API_KEY");
        if (keysPath != null && single != null) {
            throw new IllegalArgumentException("give either a keys file or a single API key, not both");
        }
        if (keysPath != null) {
            if (keysPath.isBlank()) {
                throw new IllegalArgumentException("RUNTIME_KEYS_FILE is set but empty");
            }
            return ApiKeys.read(Path.of(keysPath));
        }
        if (single != null) {
            if (single.isBlank()) {
                throw new IllegalArgumentException((apiKeyFile != null ? apiKeyFile + " is" : "RUNTIME_API_KEY is set but")
                        + " empty: it would turn authentication off");
            }
            return ApiKeys.single(single);
        }
        return ApiKeys.none();
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
