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
import dev.connectorruntime.spi.ActionDescriptor;
import dev.connectorruntime.spi.ActionError;
import dev.connectorruntime.spi.ActionException;
import dev.connectorruntime.spi.ConnectorInfo;
import dev.connectorruntime.spi.ErrorCode;
import dev.connectorruntime.spi.ExecutionResult;
import dev.connectorruntime.spi.FieldError;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The HTTP API and the designer page, on Javalin (Jetty 12): list, describe, validate and execute
 * actions, test connections, OpenAPI, health and Prometheus metrics. Errors are RFC 9457 problems.
 */
public final class ApiServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JSON_TYPE = "application/json; charset=utf-8";
    /** Response header of a successful execute: a JSON array of {pointer, rule, message}, non-ASCII escaped. */
    public static final String WARNINGS_HEADER = "X-Warnings";
    private static final ObjectMapper ASCII_JSON = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
    /** Marks a response whose problem a route wrote itself, so the 404 fallback leaves it alone. */
    private static final String PROBLEM_WRITTEN = "problem-written";

    /**
     * @param apiKey bearer token that execute and connection-test calls must carry; null for none
     * @param maxBodyBytes largest accepted request body (413 beyond)
     */
    public record Settings(String host, int port, String apiKey, long maxBodyBytes) {
        public static final long DEFAULT_MAX_BODY = 1024 * 1024;

        public Settings {
            host = host == null ? "127.0.0.1" : host;
        }
    }

    private final ConnectorHost runtime;
    private final PrometheusMeterRegistry prometheus;
    private final Settings settings;
    private final byte[] openApi;
    private final Javalin app;

    private ApiServer(ConnectorHost runtime, PrometheusMeterRegistry prometheus, Settings settings) {
        this.runtime = Objects.requireNonNull(runtime);
        this.prometheus = prometheus;
        this.settings = settings;
        this.openApi = bytes(OpenApiDocument.of(runtime.connectors(), runtime.actions(), settings.apiKey() != null));
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.http.maxRequestSize = settings.maxBodyBytes();
            config.staticFiles.enableWebjars();
            config.staticFiles.add("/designer", Location.CLASSPATH);
            config.routes.get("/health", this::health);
            config.routes.get("/metrics", this::metrics);
            config.routes.get("/openapi.json", ctx -> ctx.contentType(JSON_TYPE).result(openApi));
            config.routes.get("/api/connectors", this::connectors);
            config.routes.get("/api/actions", this::actions);
            config.routes.get("/api/actions/{id}", this::action);
            config.routes.post("/api/actions/{id}/validate", this::validate);
            config.routes.post("/api/actions/{id}/execute", this::execute);
            config.routes.get("/api/connections", ctx -> json(ctx, 200, JSON.valueToTree(runtime.connectionNames())));
            config.routes.get("/api/connections/{name}/test", this::testConnection);
            config.routes.error(404, "*", ctx -> {
                if (ctx.path().startsWith("/api/") && ctx.attribute(PROBLEM_WRITTEN) == null) {
                    problem(ctx, Problems.http(404, "NOT_FOUND", "No such endpoint: " + ctx.method() + " " + ctx.path()));
                }
            });
            config.routes.exception(Exception.class, (e, ctx) ->
                    problem(ctx, Problems.http(500, "INTERNAL_ERROR", "Internal error (" + e.getClass().getSimpleName() + ")")));
        });
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

    @Override
    public void close() {
        app.stop();
    }

    private void health(Context ctx) {
        ObjectNode health = JSON.createObjectNode().put("status", "UP");
        runtime.connectors().forEach(c -> health.withArray("connectors").add(c.id()));
        health.put("actions", runtime.actions().size());
        json(ctx, 200, health);
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
        ui.set("formSchema", FormSchema.of(action.input()));
        ui.set("options", action.options());
        json(ctx, 200, out);
    }

    private void validate(Context ctx) {
        JsonNode input = body(ctx);
        if (input == null) {
            return;
        }
        try {
            List<FieldError> errors = runtime.validate(ctx.pathParam("id"), input, options(ctx));
            if (errors.isEmpty()) {
                json(ctx, 200, JSON.createObjectNode().put("valid", true));
            } else {
                problem(ctx, Problems.of(ActionError.invalidInput(errors)));
            }
        } catch (ActionException e) {
            problem(ctx, Problems.of(e.error()));
        }
    }

    private void execute(Context ctx) {
        if (!authorized(ctx)) {
            return;
        }
        JsonNode input = body(ctx);
        if (input == null) {
            return;
        }
        ExecutionResult result = runtime.execute(ctx.pathParam("id"), input, options(ctx));
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
        if (!authorized(ctx)) {
            return;
        }
        try {
            json(ctx, 200, ConnectionReport.of(ctx.pathParam("name"), runtime.testConnection(ctx.pathParam("name"))));
        } catch (ActionException e) {
            problem(ctx, Problems.of(e.error()));
        }
    }

    private ExecuteOptions options(Context ctx) {
        String connection = ctx.header("X-Connection");
        if (connection == null || connection.isBlank()) {
            connection = ctx.queryParam("connection");
        }
        String language = ctx.queryParam("lang");
        if (language == null) {
            language = ctx.header("Accept-Language");
        }
        Locale locale = language != null && language.toLowerCase(Locale.ROOT).startsWith("en") ? Locale.ENGLISH : ExecuteOptions.DEFAULT_LOCALE;
        ExecuteOptions options = new ExecuteOptions(connection, locale);
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

    private boolean authorized(Context ctx) {
        if (settings.apiKey() == null) {
            return true;
        }
        String header = ctx.header("Authorization");
        String given = header != null && header.startsWith("Bearer ") ? header.substring("Bearer ".length()).trim() : "";
        boolean ok = MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), settings.apiKey().getBytes(StandardCharsets.UTF_8));
        if (!ok) {
            ctx.header("WWW-Authenticate", "Bearer");
            problem(ctx, Problems.http(401, "UNAUTHORIZED", "A valid API key is required (Authorization: Bearer <key>)"));
        }
        return ok;
    }

    private static ActionError unknown(String id) {
        return ActionError.of(ErrorCode.UNKNOWN_ACTION, "Unknown action '" + id + "'");
    }

    private static void json(Context ctx, int status, JsonNode body) {
        ctx.status(status).contentType(JSON_TYPE).result(bytes(body));
    }

    private static void problem(Context ctx, ObjectNode problem) {
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
