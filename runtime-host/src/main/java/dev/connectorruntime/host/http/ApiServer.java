package dev.connectorruntime.host.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connectorruntime.host.ConnectorHost;
import dev.connectorruntime.host.ExecuteOptions;
import dev.connectorruntime.host.format.ActionSummary;
import dev.connectorruntime.host.format.ConnectionReport;
import dev.connectorruntime.host.format.InputParser;
import dev.connectorruntime.host.format.TriggerSummary;
import dev.connectorruntime.host.triggers.CallbackResponse;
import dev.connectorruntime.host.triggers.TriggerService;
import dev.connectorruntime.spi.TriggerDescriptor;
import dev.connectorruntime.spi.ActionDescriptor;
import dev.connectorruntime.spi.ActionError;
import dev.connectorruntime.spi.ActionException;
import dev.connectorruntime.spi.ConnectorInfo;
import dev.connectorruntime.spi.ErrorCode;
import dev.connectorruntime.spi.ExecutionResult;
import dev.connectorruntime.spi.FieldError;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.http.staticfiles.Location;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API and the designer page, on Javalin (Jetty 12): list, describe, validate and execute
 * actions, test connections, OpenAPI, health and Prometheus metrics. Errors are RFC 9457 problems.
 *
 * <p>Every request passes the {@link BrowserGuard} (Host, Origin, JSON bodies) and the {@link AccessFilter}
 * (API keys); routes then check the {@link Caller}'s connections and scopes.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JSON_TYPE = "application/json; charset=utf-8";
    /** Response header of a successful execute: a JSON array of {pointer, rule, message}, non-ASCII escaped. */
    public static final String WARNINGS_HEADER = "X-Warnings";
    private static final ObjectMapper ASCII_JSON = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
    /** Marks a response whose problem a route wrote itself, so the 404 fallback leaves it alone. */
    private static final String PROBLEM_WRITTEN = "problem-written";
    /** The handler name of the raw call, which may reach any upstream path with any secret kind. */
    private static final String RAW_CALL_HANDLER = "raw_call";

    /**
     * How the server listens and whom it answers.
     *
     * @param keys the API keys callers must present ({@link ApiKeys#none()}: no key needed)
     * @param maxBodyBytes largest accepted request body (413 beyond)
     * @param allowedHosts host names besides the bound interface's that requests may name in {@code Host}
     * @param allowedOrigins origins whose web pages may call the API (CORS)
     * @param unauthenticatedPrefixes path prefixes that need no key even when keys are configured
     * @param limits what protects the server from slow or many clients, and how it stops
     */
    public record Settings(String host, int port, ApiKeys keys, long maxBodyBytes, List<String> allowedHosts,
                           List<String> allowedOrigins, List<String> unauthenticatedPrefixes, Limits limits) {
        public static final long DEFAULT_MAX_BODY = 1024 * 1024;

        public Settings {
            host = host == null ? "127.0.0.1" : host;
            keys = keys == null ? ApiKeys.none() : keys;
            allowedHosts = List.copyOf(allowedHosts);
            allowedOrigins = List.copyOf(allowedOrigins);
            unauthenticatedPrefixes = List.copyOf(unauthenticatedPrefixes);
            limits = limits == null ? Limits.DEFAULTS : limits;
        }

        /** Loopback, a free port, no keys, the default limits. */
        public static Settings local() {
            return new Settings("127.0.0.1", 0, ApiKeys.none(), DEFAULT_MAX_BODY, List.of(), List.of(),
                    AccessFilter.OPEN_PREFIXES, Limits.DEFAULTS);
        }

        public Settings withHost(String value, int portValue) {
            return new Settings(value, portValue, keys, maxBodyBytes, allowedHosts, allowedOrigins, unauthenticatedPrefixes, limits);
        }

        public Settings withKeys(ApiKeys value) {
            return new Settings(host, port, value, maxBodyBytes, allowedHosts, allowedOrigins, unauthenticatedPrefixes, limits);
        }

        public Settings withMaxBodyBytes(long value) {
            return new Settings(host, port, keys, value, allowedHosts, allowedOrigins, unauthenticatedPrefixes, limits);
        }

        public Settings withAllowedHosts(List<String> value) {
            return new Settings(host, port, keys, maxBodyBytes, value, allowedOrigins, unauthenticatedPrefixes, limits);
        }

        public Settings withAllowedOrigins(List<String> value) {
            return new Settings(host, port, keys, maxBodyBytes, allowedHosts, value, unauthenticatedPrefixes, limits);
        }

        /** Adds path prefixes that need no key (routes that authenticate by other means, such as signatures). */
        public Settings withUnauthenticatedPrefixes(List<String> more) {
            List<String> all = new ArrayList<>(unauthenticatedPrefixes);
            all.addAll(more);
            return new Settings(host, port, keys, maxBodyBytes, allowedHosts, allowedOrigins, all, limits);
        }

        public Settings withLimits(Limits value) {
            return new Settings(host, port, keys, maxBodyBytes, allowedHosts, allowedOrigins, unauthenticatedPrefixes, value);
        }

        public Settings withDrainTimeout(Duration value) {
            return withLimits(new Limits(value, limits.idleTimeout(), limits.maxConnections()));
        }
    }

    /**
     * @param drainTimeout how long a stop waits for running calls before answering them {@code OUTCOME_UNKNOWN}
     * @param idleTimeout a connection that sends nothing for this long is closed (a body is read without
     *     holding a thread, so a slow sender costs a connection, never a thread)
     * @param maxConnections connections beyond this wait to be accepted
     */
    public record Limits(Duration drainTimeout, Duration idleTimeout, int maxConnections) {
        public static final Limits DEFAULTS = new Limits(Duration.ofSeconds(30), Duration.ofSeconds(30), 1000);
    }

    private final ConnectorHost runtime;
    private final PrometheusMeterRegistry prometheus;
    private final Settings settings;
    private final byte[] openApi;
    private final InFlightCalls calls = new InFlightCalls();
    private final Counter unhandled;
    private final Javalin app;
    private volatile Server jetty;

    private ApiServer(ConnectorHost runtime, PrometheusMeterRegistry prometheus, Settings settings) {
        this.runtime = Objects.requireNonNull(runtime);
        this.prometheus = prometheus;
        this.settings = settings;
        this.openApi = bytes(OpenApiDocument.of(runtime.connectors(), runtime.actions(), runtime.triggers(),
                action -> runtime.actionConnector(action.id()).map(ConnectorInfo::docLabel).orElse("Documentation"), settings.keys().required()));
        this.unhandled = Counter.builder("connector.http.unhandled.errors")
                .description("Requests that ended in an unexpected exception (each logged with its correlation id)")
                .register(runtime.meters());
        BrowserGuard guard = new BrowserGuard(settings.host(), settings.allowedHosts(), settings.allowedOrigins(),
                List.of("/callbacks/"));
        AccessFilter access = new AccessFilter(settings.keys(), settings.unauthenticatedPrefixes());
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.http.maxRequestSize = settings.maxBodyBytes();
            config.http.prefer405over404 = true;
            config.jetty.modifyServer(this::protect);
            config.jetty.modifyServletContextHandler(context -> context.setErrorHandler(new ProblemErrorHandler()));
            config.staticFiles.enableWebjars();
            config.staticFiles.add("/designer", Location.CLASSPATH);
            config.routes.before(guard::handle);
            config.routes.before(access::handle);
            config.routes.get("/health", this::health);
            config.routes.get("/metrics", this::metrics);
            config.routes.get("/openapi.json", ctx -> ctx.contentType(JSON_TYPE).result(openApi));
            config.routes.get("/api/connectors", this::connectors);
            config.routes.get("/api/actions", this::actions);
            config.routes.get("/api/actions/{id}", this::action);
            config.routes.post("/api/actions/{id}/validate", this::validate);
            config.routes.post("/api/actions/{id}/execute", this::execute);
            config.routes.get("/api/triggers", this::triggers);
            config.routes.get("/api/triggers/{id}", this::trigger);
            // WeCom cannot send an API key: the callbacks' signature is their protection
            config.routes.get("/callbacks/{connection}/{kind}", this::callback);
            config.routes.post("/callbacks/{connection}/{kind}", this::callback);
            config.routes.get("/api/connections", this::connections);
            config.routes.get("/api/connections/{name}/test", this::testConnection);
            new DeliveryRoutes(runtime::delivery, this::body).register(config.routes);
            new ConnectionRoutes(runtime, this::body).register(config.routes);
            config.routes.error(404, "*", ctx -> {
                if (ctx.path().startsWith("/api/") && ctx.attribute(PROBLEM_WRITTEN) == null) {
                    problem(ctx, Problems.http(404, "NOT_FOUND", "No such endpoint: " + ctx.method() + " " + ctx.path()));
                }
            });
            config.routes.error(405, "*", ctx -> {
                if (ctx.attribute(PROBLEM_WRITTEN) == null) {
                    problem(ctx, Problems.http(405, "METHOD_NOT_ALLOWED", ctx.method() + " is not allowed on " + ctx.path()));
                }
            });
            config.routes.exception(HttpResponseException.class, (e, ctx) -> problem(ctx, Problems.http(e.getStatus(),
                    HttpStatus.forStatus(e.getStatus()).name(), e.getMessage())));
            config.routes.exception(HttpProblem.class, (e, ctx) -> problem(ctx, Problems.http(e.status, e.code, e.getMessage())));
            config.routes.exception(AccessDenied.class, (e, ctx) -> {
                if (settings.keys().required() && Caller.of(ctx) == Caller.ANONYMOUS) {
                    ctx.header("WWW-Authenticate", "Bearer");
                    problem(ctx, Problems.http(401, "UNAUTHORIZED", "An API key is required: " + e.getMessage()));
                } else {
                    problem(ctx, Problems.http(403, "FORBIDDEN", e.getMessage()));
                }
            });
            config.routes.exception(Exception.class, (e, ctx) -> {
                String id = UUID.randomUUID().toString();
                unhandled.increment();
                LOG.error("Unexpected error {} on {} {}", id, ctx.method(), ctx.path(), e);
                ObjectNode problem = Problems.http(500, "INTERNAL_ERROR", "Internal error (" + e.getClass().getSimpleName()
                        + "); correlation id " + id);
                problem.put("correlationId", id);
                problem(ctx, problem);
            });
        });
    }

    /**
     * Jetty's side of the protection: bodies are read before a route runs, without a thread
     * (slow senders hold no thread), idle connections are closed, connections are capped, and
     * Jetty's own errors are problems.
     */
    private void protect(Server server) {
        this.jetty = server;
        server.setErrorHandler(new ProblemErrorHandler());
        server.setHandler(new BodyFirstHandler(settings.maxBodyBytes()));
        server.addBean(new NetworkConnectionLimit(settings.limits().maxConnections(), server));
        server.addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStarting(LifeCycle event) {
                for (Connector connector : server.getConnectors()) {
                    if (connector instanceof AbstractConnector network) {
                        network.setIdleTimeout(settings.limits().idleTimeout().toMillis());
                    }
                }
            }
        });
    }

    /** Threads of the server's pool that are running a request now (slow clients must not hold any). */
    int busyThreads() {
        return jetty != null && jetty.getThreadPool() instanceof QueuedThreadPool pool ? pool.getBusyThreads() : -1;
    }

    /** Starts the API on the settings' host and port (0 picks a free port). */
    public static ApiServer start(ConnectorHost runtime, PrometheusMeterRegistry prometheus, Settings settings) {
        ApiServer server = new ApiServer(runtime, prometheus, settings);
        server.app.start(settings.host(), settings.port());
        return server;
    }

    public int port() {
        return app.port();
    }

    /**
     * Stops taking calls ({@code /health} answers 503 {@code DRAINING}, new calls 503), waits up to the
     * settings' drain timeout for the running ones, answers those still running {@code OUTCOME_UNKNOWN},
     * then stops the server.
     */
    public void drainAndStop() {
        try {
            int cut = calls.drain(settings.limits().drainTimeout());
            if (cut > 0) {
                LOG.warn("Stopped with {} calls still running; they were answered OUTCOME_UNKNOWN", cut);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (calls.size() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            Thread.sleep(200); // lets the last answers leave before the connections close
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        app.stop();
    }

    @Override
    public void close() {
        app.stop();
    }

    private void health(Context ctx) {
        boolean draining = calls.draining();
        ObjectNode health = JSON.createObjectNode().put("status", draining ? "DRAINING" : "UP");
        runtime.connectors().forEach(c -> health.withArray("connectors").add(c.id()));
        health.put("actions", runtime.actions().size());
        health.put("inFlight", calls.size());
        health.put("busyThreads", busyThreads());
        json(ctx, draining ? 503 : 200, health);
    }

    private void metrics(Context ctx) {
        if (prometheus == null) {
            problem(ctx, Problems.http(404, "NOT_FOUND", "metrics are not enabled"));
            return;
        }
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(prometheus.scrape());
    }

    private void connectors(Context ctx) {
        ArrayNode list = JSON.createArrayNode();
        for (ConnectorInfo info : runtime.connectors()) {
            ObjectNode item = JSON.valueToTree(info);
            runtime.connectionSchema(info.id()).ifPresent(s -> item.set("connectionSchema", s));
            list.add(item);
        }
        json(ctx, 200, list);
    }

    private void actions(Context ctx) {
        String category = ctx.queryParam("category");
        String q = ctx.queryParam("q");
        String needle = q == null ? null : q.toLowerCase(Locale.ROOT).trim();
        ArrayNode list = JSON.createArrayNode();
        for (ActionDescriptor action : runtime.actions()) {
            if (category != null && !category.isBlank() && !category.equals(action.category())) {
                continue;
            }
            if (needle != null && !needle.isEmpty() && !matches(action, needle)) {
                continue;
            }
            list.add(ActionSummary.of(action));
        }
        json(ctx, 200, list);
    }

    private static boolean matches(ActionDescriptor action, String needle) {
        return action.id().toLowerCase(Locale.ROOT).contains(needle)
                || action.title().toLowerCase(Locale.ROOT).contains(needle)
                || (action.titleEn() != null && action.titleEn().toLowerCase(Locale.ROOT).contains(needle))
                || (action.description() != null && action.description().toLowerCase(Locale.ROOT).contains(needle));
    }

    private void action(Context ctx) {
        ActionDescriptor action = runtime.action(ctx.pathParam("id")).orElse(null);
        if (action == null) {
            problem(ctx, Problems.of(unknown(ctx.pathParam("id"))));
            return;
        }
        ObjectNode out = action.source().deepCopy();
        ObjectNode ui = out.putObject("ui");
        ui.set("formSchema", FormSchema.of(action.input(), locale(ctx)));
        ui.set("options", action.options());
        json(ctx, 200, out);
    }

    private void connections(Context ctx) {
        Caller caller = Caller.of(ctx);
        json(ctx, 200, JSON.valueToTree(runtime.connectionNames().stream().filter(caller::mayUse).toList()));
    }

    private void triggers(Context ctx) {
        String category = ctx.queryParam("category");
        ArrayNode list = JSON.createArrayNode();
        for (TriggerDescriptor trigger : runtime.triggers()) {
            if (category == null || category.isBlank() || category.equals(trigger.category())) {
                list.add(TriggerSummary.of(trigger));
            }
        }
        json(ctx, 200, list);
    }

    private void trigger(Context ctx) {
        TriggerDescriptor trigger = runtime.trigger(ctx.pathParam("id")).orElse(null);
        if (trigger == null) {
            problem(ctx, Problems.http(404, "UNKNOWN_TRIGGER", "Unknown trigger '" + ctx.pathParam("id") + "'"));
            return;
        }
        json(ctx, 200, trigger.source());
    }

    private void callback(Context ctx) throws IOException {
        Map<String, String> query = new LinkedHashMap<>();
        ctx.queryParamMap().forEach((name, values) -> {
            if (!values.isEmpty()) {
                query.put(name, values.get(0));
            }
        });
        CallbackResponse response = runtime.triggerService().receive(ctx.pathParam("connection"), ctx.pathParam("kind"),
                ctx.method().name(), query, cappedBody(ctx, settings.maxBodyBytes()));
        ctx.status(response.status()).contentType(response.contentType()).result(response.body().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The body, or null when it is larger than a callback may be. Nothing beyond the cap is kept; the
     * rest is read and dropped (up to the server's body limit) so the client still gets its 413.
     */
    private static byte[] cappedBody(Context ctx, long drainLimit) throws IOException {
        try (InputStream in = ctx.bodyInputStream()) {
            byte[] bytes = in.readNBytes(TriggerService.MAX_BODY_BYTES + 1);
            if (bytes.length <= TriggerService.MAX_BODY_BYTES) {
                return bytes;
            }
            long dropped = 0;
            byte[] sink = new byte[8192];
            for (int n; dropped < drainLimit && (n = in.read(sink)) > 0; ) {
                dropped += n;
            }
            return null;
        }
    }

    private void validate(Context ctx) {
        JsonNode input = body(ctx);
        if (input == null) {
            return;
        }
        try {
            ExecuteOptions options = options(ctx, Caller.of(ctx), false);
            List<FieldError> errors = runtime.validate(ctx.pathParam("id"), input, options);
            if (errors.isEmpty()) {
                json(ctx, 200, JSON.createObjectNode().put("valid", true));
            } else {
                problem(ctx, Problems.of(ActionError.invalidInput(errors, options.locale())));
            }
        } catch (ActionException e) {
            problem(ctx, Problems.of(e.error()));
        }
    }

    private void execute(Context ctx) {
        if (calls.draining()) {
            ctx.header("Connection", "close");
            throw InFlightCalls.shuttingDown();
        }
        Caller caller = Caller.of(ctx);
        ActionDescriptor action = runtime.action(ctx.pathParam("id")).orElse(null);
        if (action != null) {
            if (RAW_CALL_HANDLER.equals(action.handler())) {
                caller.require(Scope.RAW_CALL);
            } else if (!action.safeToRepeat()) {
                caller.require(Scope.WRITE);
            }
        }
        ExecuteOptions options = options(ctx, caller, true);
        JsonNode input = body(ctx);
        if (input == null) {
            return;
        }
        String id = ctx.pathParam("id");
        ctx.future(() -> calls.start(() -> runtime.execute(id, input, options)).thenAccept(result -> answer(ctx, result)));
    }

    private void answer(Context ctx, ExecutionResult result) {
        ctx.header("X-Attempts", Integer.toString(result.attempts()));
        if (result instanceof ExecutionResult.Success success) {
            if (!success.warnings().isEmpty()) {
                ctx.header(WARNINGS_HEADER, asciiJson(success.warnings()));
            }
            json(ctx, 200, success.output());
        } else {
            problem(ctx, Problems.of(((ExecutionResult.Failure) result).error()));
        }
    }

    private void testConnection(Context ctx) {
        Caller caller = Caller.of(ctx);
        caller.require(Scope.TEST_CONNECTIONS);
        caller.requireUse(ctx.pathParam("name"));
        try {
            json(ctx, 200, ConnectionReport.of(ctx.pathParam("name"), runtime.testConnection(ctx.pathParam("name"))));
        } catch (ActionException e) {
            problem(ctx, Problems.of(e.error()));
        }
    }

    /**
     * The call's options. The connection is the one named (which the caller must be allowed); an
     * execution without one runs on the caller's only connection, else on the default one.
     */
    /** English for {@code ?lang=en} or {@code Accept-Language: en...}; Chinese otherwise. */
    private static Locale locale(Context ctx) {
        String language = ctx.queryParam("lang");
        if (language == null) {
            language = ctx.header("Accept-Language");
        }
        return language != null && language.toLowerCase(Locale.ROOT).startsWith("en") ? Locale.ENGLISH : ExecuteOptions.DEFAULT_LOCALE;
    }

    private ExecuteOptions options(Context ctx, Caller caller, boolean executing) {
        String connection = ctx.header("X-Connection");
        if (connection == null || connection.isBlank()) {
            connection = ctx.queryParam("connection");
        }
        if ((connection == null || connection.isBlank()) && executing) {
            connection = caller.onlyConnection() != null ? caller.onlyConnection() : runtime.defaultConnectionName().orElse(null);
        }
        if (connection != null && !connection.isBlank()) {
            caller.requireUse(connection);
        }
        ExecuteOptions options = new ExecuteOptions(connection, locale(ctx));
        if ("true".equals(ctx.queryParam("allPages"))) {
            options = options.withPages(ExecuteOptions.Pages.all(intParam(ctx, "maxItems", 10_000), intParam(ctx, "maxPages", 100)));
        }
        return options;
    }

    private static int intParam(Context ctx, String name, int fallback) {
        try {
            String value = ctx.queryParam(name);
            return value == null ? fallback : Math.max(1, Integer.parseInt(value));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** The request body as JSON, or null after answering 413 / 422. */
    private JsonNode body(Context ctx) {
        long declared = ctx.contentLength();
        if (declared > settings.maxBodyBytes()) {
            problem(ctx, Problems.http(413, "PAYLOAD_TOO_LARGE", "The body exceeds " + settings.maxBodyBytes() + " bytes"));
            return null;
        }
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length > settings.maxBodyBytes()) {
            problem(ctx, Problems.http(413, "PAYLOAD_TOO_LARGE", "The body exceeds " + settings.maxBodyBytes() + " bytes"));
            return null;
        }
        try {
            return InputParser.parse(bytes);
        } catch (ActionException e) {
            problem(ctx, Problems.of(e.error()));
            return null;
        }
    }

    private static ActionError unknown(String id) {
        return ActionError.of(ErrorCode.UNKNOWN_ACTION, "Unknown action '" + id + "'");
    }

    static void json(Context ctx, int status, JsonNode body) {
        ctx.status(status).contentType(JSON_TYPE).result(bytes(body));
    }

    static void problem(Context ctx, ObjectNode problem) {
        ctx.attribute(PROBLEM_WRITTEN, Boolean.TRUE);
        ctx.status(problem.get("status").asInt()).contentType(Problems.CONTENT_TYPE).result(bytes(problem));
    }

    private static String asciiJson(List<FieldError> warnings) {
        try {
            return ASCII_JSON.writeValueAsString(warnings);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
