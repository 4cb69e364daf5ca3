package dev.connectorruntime.host.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connectorruntime.host.ConnectorHost;
import dev.connectorruntime.host.format.ConnectionReport;
import dev.connectorruntime.spi.ActionException;
import dev.connectorruntime.spi.CredentialCheck;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.function.Function;

/**
 * Connections as a managed resource: {@code PUT /api/connections/{name}} creates or replaces one
 * (checked against its connector's connection schema; {@code ?test=true} first checks each secret
 * upstream and saves nothing if one fails), {@code GET} shows it without secrets, {@code DELETE}
 * removes it. Changing needs the {@link Scope#MANAGE_CONNECTIONS} scope and the connection among the
 * key's; connections from files and the environment answer 409.
 */
final class ConnectionRoutes {
    private final ConnectorHost runtime;
    private final Function<Context, JsonNode> body;

    /** @param body reads a JSON body, answering 413/422 itself (then null) */
    ConnectionRoutes(ConnectorHost runtime, Function<Context, JsonNode> body) {
        this.runtime = runtime;
        this.body = body;
    }

    void register(RoutesConfig routes) {
        routes.get("/api/connections/{name}", this::get);
        routes.put("/api/connections/{name}", this::put);
        routes.delete("/api/connections/{name}", this::delete);
    }

    private void get(Context ctx) {
        String name = ctx.pathParam("name");
        Caller.of(ctx).requireUse(name);
        ObjectNode connection = runtime.connection(name).orElse(null);
        if (connection == null) {
            throw notFound(name);
        }
        ApiServer.json(ctx, 200, connection);
    }

    private void put(Context ctx) {
        String name = ctx.pathParam("name");
        Caller caller = Caller.of(ctx);
        caller.require(Scope.MANAGE_CONNECTIONS);
        caller.requireUse(name);
        JsonNode given = body.apply(ctx);
        if (given == null) {
            return;
        }
        if (!(given instanceof ObjectNode connection)) {
            throw new HttpProblem(422, "INVALID_CONNECTION", "A connection must be a JSON object");
        }
        if (connection.has("name") && !name.equals(connection.get("name").asText())) {
            throw new HttpProblem(422, "INVALID_CONNECTION", "The body's name '" + connection.get("name").asText()
                    + "' differs from the path's '" + name + "'");
        }
        refuseReadOnly(name);
        connection.put("name", name);
        boolean existed = runtime.connection(name).isPresent();
        try {
            if ("true".equals(ctx.queryParam("test"))) {
                caller.require(Scope.TEST_CONNECTIONS);
                List<CredentialCheck> checks = runtime.testConnection(connection);
                if (checks.stream().anyMatch(c -> !c.ok())) {
                    ObjectNode problem = Problems.http(422, "CONNECTION_TEST_FAILED",
                            "A secret of connection '" + name + "' was rejected upstream; nothing was saved");
                    problem.set("test", ConnectionReport.of(name, checks));
                    ApiServer.problem(ctx, problem);
                    return;
                }
            }
            runtime.addConnection(connection);
        } catch (ActionException e) {
            ApiServer.problem(ctx, Problems.of(e.error()));
            return;
        }
        ApiServer.json(ctx, existed ? 200 : 201, runtime.connection(name).orElseThrow());
    }

    private void delete(Context ctx) {
        String name = ctx.pathParam("name");
        Caller caller = Caller.of(ctx);
        caller.require(Scope.MANAGE_CONNECTIONS);
        caller.requireUse(name);
        refuseReadOnly(name);
        try {
            if (!runtime.removeConnection(name)) {
                throw notFound(name);
            }
        } catch (ActionException e) {
            ApiServer.problem(ctx, Problems.of(e.error()));
            return;
        }
        ctx.status(204);
    }

    private void refuseReadOnly(String name) {
        runtime.connection(name).map(c -> c.path("source").asText()).filter(s -> !"managed".equals(s)).ifPresent(source -> {
            throw new HttpProblem(409, "READ_ONLY_CONNECTION", "Connection '" + name + "' comes from " + source
                    + " and is read-only here; change it there");
        });
    }

    private static HttpProblem notFound(String name) {
        return new HttpProblem(404, "NOT_FOUND", "Unknown connection '" + name + "'");
    }
}
