package dev.connectorruntime.host.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connectorruntime.spi.ActionDescriptor;
import dev.connectorruntime.spi.ConnectorInfo;
import dev.connectorruntime.spi.TriggerDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Function;

/**
 * OpenAPI 3.1 of the HTTP API, generated from the catalog: one execute operation per action, with
 * the action's input and output schemas as request and response bodies (each schema gets its own
 * {@code $id} so its local {@code $ref}s resolve inside it), and one webhook per trigger: the delivery a
 * subscriber receives, whose {@code event} is the trigger's event schema. The server's other routes
 * (health, catalog, connections, subscriptions, events, callbacks) are data in {@code openapi/management.json}.
 */
final class OpenApiDocument {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String SCHEMA_BASE = "https://connector-runtime.dev/schemas/";
    private static final String MANAGEMENT = "/openapi/management.json";

    private OpenApiDocument() {}

    /** @param docLabel how the action's connector introduces a link to its documentation */
    static ObjectNode of(List<ConnectorInfo> connectors, List<ActionDescriptor> actions, List<TriggerDescriptor> triggers,
                         Function<ActionDescriptor, String> docLabel, boolean apiKeyRequired) {
        ObjectNode doc = NODES.objectNode();
        doc.put("openapi", "3.1.0");
        doc.put("jsonSchemaDialect", "https://json-schema.org/draft/2020-12/schema");
        doc.putObject("info").put("title", "Connector Runtime API").put("version", "0.1.0")
                .put("description", "Execute connector actions (" + String.join(", ", connectors.stream().map(ConnectorInfo::title).toList())
                        + "). Errors are RFC 9457 problem details.");
        var tags = doc.putArray("tags");
        connectors.forEach(c -> c.categories().forEach(cat -> tags.addObject().put("name", cat.id())
                .put("description", cat.title() + " / " + cat.titleEn())));
        ObjectNode management = management();
        ObjectNode paths = doc.putObject("paths");
        paths.setAll((ObjectNode) management.get("paths"));
        for (ActionDescriptor action : actions) {
            ObjectNode post = paths.putObject("/api/actions/" + action.id() + "/execute").putObject("post");
            post.put("operationId", action.id());
            post.put("summary", action.title() + " / " + action.titleEn());
            post.put("description", action.description() + (action.docUrl() == null ? "" : "\n\n" + docLabel.apply(action) + ": " + action.docUrl()));
            post.putArray("tags").add(action.category());
            post.putArray("parameters").add(connectionParameter());
            post.putObject("requestBody").put("required", true)
                    .putObject("content").putObject("application/json").set("schema", withId(action.input(), action.id() + "/input"));
            ObjectNode responses = post.putObject("responses");
            responses.putObject("200").put("description", "The action's output")
                    .putObject("content").putObject("application/json").set("schema", withId(action.output(), action.id() + "/output"));
            responses.putObject("default").put("description", "A problem (invalid input 422, unknown action 404, upstream error 502 ...)")
                    .putObject("content").putObject(Problems.CONTENT_TYPE).putObject("schema").put("$ref", "#/components/schemas/Problem");
            if (apiKeyRequired) {
                post.putArray("security").addObject().putArray("bearer");
            }
        }
        ObjectNode webhooks = doc.putObject("webhooks");
        for (TriggerDescriptor trigger : triggers) {
            ObjectNode post = webhooks.putObject(trigger.id()).putObject("post");
            post.put("operationId", "trigger_" + trigger.id());
            post.put("summary", trigger.title() + " / " + trigger.titleEn());
            post.put("description", trigger.description());
            post.putArray("tags").add(trigger.category());
            post.putObject("requestBody").put("required", true)
                    .putObject("content").putObject("application/json").set("schema", delivery(trigger));
            post.putObject("responses").putObject("200").put("description", "Received (any 2xx); other answers are retried");
        }
        ObjectNode components = doc.putObject("components");
        components.setAll((ObjectNode) management.get("components"));
        components.putObject("securitySchemes").putObject("bearer").put("type", "http").put("scheme", "bearer");
        components.putObject("schemas").set("Problem", problemSchema());
        if (apiKeyRequired) {
            doc.putArray("security").addObject().putArray("bearer"); // routes open without a key say "security": []
        }
        return doc;
    }

    private static ObjectNode management() {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(MANAGEMENT)) {
            return (ObjectNode) new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + MANAGEMENT, e);
        }
    }

    private static JsonNode withId(ObjectNode schema, String id) {
        ObjectNode copy = schema.deepCopy();
        copy.remove("$schema");
        ObjectNode out = NODES.objectNode().put("$id", SCHEMA_BASE + id);
        out.setAll(copy);
        return out;
    }

    /** {id, trigger, connection, receivedAt, event}: what a subscriber receives for one event. */
    private static ObjectNode delivery(TriggerDescriptor trigger) {
        ObjectNode schema = NODES.objectNode().put("type", "object");
        schema.putArray("required").add("id").add("trigger").add("connection").add("receivedAt").add("event");
        ObjectNode props = schema.putObject("properties");
        props.putObject("id").put("type", "string").put("description", "Stable event id; deduplicate on it (delivery is at least once)");
        props.putObject("trigger").put("const", trigger.id());
        props.putObject("connection").put("type", "string").put("description", "The connection the event arrived on");
        props.putObject("receivedAt").put("type", "string").put("format", "date-time");
        props.set("event", withId(trigger.schema(), "triggers/" + trigger.id()));
        return schema;
    }

    private static ObjectNode connectionParameter() {
        ObjectNode parameter = NODES.objectNode();
        parameter.put("name", "connection").put("in", "query").put("required", false)
                .put("description", "The connection to use (also as header X-Connection); default: the server's default connection.");
        parameter.putObject("schema").put("type", "string");
        return parameter;
    }

    private static ObjectNode problemSchema() {
        ObjectNode schema = NODES.objectNode().put("type", "object");
        schema.putArray("required").add("type").add("title").add("status");
        ObjectNode props = schema.putObject("properties");
        props.putObject("type").put("type", "string").put("format", "uri");
        props.putObject("title").put("type", "string");
        props.putObject("status").put("type", "integer");
        props.putObject("detail").put("type", "string");
        ObjectNode error = props.putObject("error").put("type", "object");
        ObjectNode errorProps = error.putObject("properties");
        errorProps.putObject("code").put("type", "string");
        errorProps.putObject("message").put("type", "string");
        ObjectNode field = errorProps.putObject("fieldErrors").put("type", "array").putObject("items").put("type", "object");
        field.putObject("properties").putObject("pointer").put("type", "string");
        ((ObjectNode) field.get("properties")).putObject("rule").put("type", "string");
        ((ObjectNode) field.get("properties")).putObject("message").put("type", "string");
        ObjectNode upstream = errorProps.putObject("upstream").put("type", "object")
                .put("description", "What the upstream answered: its error code, message and HTTP status.");
        ObjectNode upstreamProps = upstream.putObject("properties");
        upstreamProps.putObject("code").put("type", "string");
        upstreamProps.putObject("message").put("type", "string");
        upstreamProps.putObject("status").put("type", "integer");
        errorProps.putObject("hint").put("type", "string");
        errorProps.putObject("retryable").put("type", "boolean");
        error.put("description", "Besides these fields, an upstream error carries its connector's own fields under the names "
                + "the connector's users know.");
        return schema;
    }
}
