package dev.connectorruntime.host.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connectorruntime.host.triggers.DeliveryRecord;
import dev.connectorruntime.host.triggers.EventDelivery;
import dev.connectorruntime.host.triggers.EventFilter;
import dev.connectorruntime.host.triggers.WebhookSubscription;
import dev.connectorruntime.host.triggers.TriggerEvent;
import dev.connectorruntime.spi.ActionException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The delivery endpoints: webhook subscriptions ({@code /api/subscriptions}, their deliveries and
 * redelivery) and pull ({@code /api/events} as a long poll, {@code /api/events/stream} as Server-Sent
 * Events). All need the API key when one is set.
 */
final class DeliveryRoutes {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_WAIT_SECONDS = 60;
    private static final int MAX_LIMIT = 1000;
    /** A comment line this often keeps proxies from closing an idle stream and notices gone clients. */
    private static final Duration STREAM_HEARTBEAT = Duration.ofSeconds(15);

    private final Supplier<EventDelivery> deliveries;
    private final Function<Context, JsonNode> body;

    /**
     * @param deliveries the host's delivery (started on first use)
     * @param body reads a JSON body, answering 413/422 itself (then null)
     */
    DeliveryRoutes(Supplier<EventDelivery> deliveries, Function<Context, JsonNode> body) {
        this.deliveries = deliveries;
        this.body = body;
    }

    void register(RoutesConfig routes) {
        routes.post("/api/subscriptions", this::subscribe);
        routes.get("/api/subscriptions", ctx -> ApiServer.json(ctx, 200,
                list(deliveries.get().subscriptions().stream().filter(s -> mayUse(ctx, s)).toList())));
        routes.get("/api/subscriptions/{id}", this::subscription);
        routes.delete("/api/subscriptions/{id}", this::unsubscribe);
        routes.get("/api/subscriptions/{id}/deliveries", this::deliveries);
        routes.post("/api/subscriptions/{id}/deliveries/{eventId}/redeliver", this::redeliver);
        routes.get("/api/events", this::poll);
        SseHandler stream = new SseHandler(this::stream);
        routes.get("/api/events/stream", ctx -> {
            EventFilter filter = filter(ctx);
            if (filter != null) {
                requireUse(ctx, filter.connection());
                ctx.attribute("filter", filter);
                stream.handle(ctx);
            }
        });
    }

    /**
     * The access filter already asked for a key (when keys are configured); here the caller must also
     * be allowed the subscription's or pull's connection, or every connection when none is named.
     */
    private static void requireUse(Context ctx, String connection) {
        Caller.of(ctx).requireUse(connection == null ? Caller.ALL_CONNECTIONS : connection);
    }

    private static boolean mayUse(Context ctx, WebhookSubscription subscription) {
        Caller caller = Caller.of(ctx);
        String connection = subscription.filter().connection();
        return caller.mayUse(connection == null ? Caller.ALL_CONNECTIONS : connection);
    }

    private void subscribe(Context ctx) {
        JsonNode request = body.apply(ctx);
        if (request == null) {
            return;
        }
        JsonNode connection = request.get("connection");
        requireUse(ctx, connection != null && connection.isTextual() ? connection.asText() : null);
        try {
            WebhookSubscription created = deliveries.get().subscribe(request);
            ctx.header("Location", "/api/subscriptions/" + created.id());
            ApiServer.json(ctx, 201, created.toJson(true));
        } catch (ActionException e) {
            ApiServer.problem(ctx, Problems.of(e.error()));
        }
    }

    /** The subscription named in the path if the caller may see it; otherwise answers 404 (never saying it exists). */
    private Optional<WebhookSubscription> visible(Context ctx) {
        Optional<WebhookSubscription> found = deliveries.get().subscription(ctx.pathParam("id")).filter(s -> mayUse(ctx, s));
        if (found.isEmpty()) {
            noSuchSubscription(ctx);
        }
        return found;
    }

    private void subscription(Context ctx) {
        visible(ctx).ifPresent(found -> ApiServer.json(ctx, 200, found.toJson(false)));
    }

    private void unsubscribe(Context ctx) {
        if (visible(ctx).isPresent()) {
            deliveries.get().unsubscribe(ctx.pathParam("id"));
            ctx.status(204);
        }
    }

    private void deliveries(Context ctx) {
        if (visible(ctx).isEmpty()) {
            return;
        }
        ArrayNode list = JSON.createArrayNode();
        deliveries.get().deliveries(ctx.pathParam("id")).orElse(List.of()).forEach(r -> list.add(r.toJson()));
        ApiServer.json(ctx, 200, list);
    }

    private void redeliver(Context ctx) {
        if (visible(ctx).isEmpty()) {
            return;
        }
        switch (deliveries.get().redeliver(ctx.pathParam("id"), ctx.pathParam("eventId"))) {
            case QUEUED -> ApiServer.json(ctx, 202, JSON.createObjectNode().put("status", "redeliver"));
            case NOT_DEAD -> ApiServer.problem(ctx, Problems.http(409, "NOT_DEAD_LETTER",
                    "Only a dead letter can be redelivered; this delivery is still in progress or was delivered"));
            case NO_SUCH_DELIVERY -> ApiServer.problem(ctx, Problems.http(404, "NOT_FOUND",
                    "No delivery of event " + ctx.pathParam("eventId") + " to subscription " + ctx.pathParam("id")));
        }
    }

    private void poll(Context ctx) throws InterruptedException {
        EventFilter filter = filter(ctx);
        Long after = number(ctx, "after", 0);
        Long wait = number(ctx, "wait", 0);
        Long limit = number(ctx, "limit", 100);
        if (filter == null || after == null || wait == null || limit == null) {
            return;
        }
        requireUse(ctx, filter.connection());
        List<TriggerEvent> events = deliveries.get().poll(filter, after,
                Duration.ofSeconds(Math.min(wait, MAX_WAIT_SECONDS)), (int) Math.max(1, Math.min(limit, MAX_LIMIT)));
        ObjectNode page = JSON.createObjectNode();
        ArrayNode items = page.putArray("events");
        long cursor = after;
        for (TriggerEvent event : events) {
            items.add(envelope(event));
            cursor = event.sequence();
        }
        page.put("cursor", cursor);
        ApiServer.json(ctx, 200, page);
    }

    /** Streams events after {@code after} (or the {@code Last-Event-ID} a reconnecting client sends) until the client leaves. */
    private void stream(SseClient client) {
        Context ctx = client.ctx();
        EventFilter filter = ctx.attribute("filter");
        String lastId = ctx.header("Last-Event-ID");
        long cursor = parse(lastId != null ? lastId : ctx.queryParam("after"));
        long lastBeat = System.nanoTime();
        try {
            while (!client.terminated()) {
                for (TriggerEvent event : deliveries.get().poll(filter, cursor, Duration.ofSeconds(1), 100)) {
                    client.sendEvent(event.triggerId(), text(envelope(event)), Long.toString(event.sequence()));
                    cursor = event.sequence();
                }
                if (System.nanoTime() - lastBeat > STREAM_HEARTBEAT.toNanos()) {
                    client.sendComment("heartbeat");
                    lastBeat = System.nanoTime();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** An event as pull readers get it: the webhook body plus its cursor. */
    static ObjectNode envelope(TriggerEvent event) {
        ObjectNode json = JSON.createObjectNode();
        json.put("id", event.id()).put("sequence", event.sequence()).put("trigger", event.triggerId())
                .put("connection", event.connection()).put("receivedAt", event.receivedAt().toString()).set("event", event.event());
        return json;
    }

    /** The filter of a pull: {@code trigger}, {@code connection}, and {@code filter} (conditions as JSON); null after a 422. */
    private EventFilter filter(Context ctx) {
        try {
            String conditions = ctx.queryParam("filter");
            return EventFilter.of(blankToNull(ctx.queryParam("trigger")), blankToNull(ctx.queryParam("connection")))
                    .where(conditions == null ? null : JSON.readTree(conditions));
        } catch (EventFilter.InvalidFilter e) {
            ApiServer.problem(ctx, Problems.of(dev.connectorruntime.spi.ActionError.invalidInput(e.errors())));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            ApiServer.problem(ctx, Problems.http(422, "INVALID_INPUT", "filter: not JSON"));
        }
        return null;
    }

    private Long number(Context ctx, String name, long fallback) {
        String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(value.trim());
            if (parsed >= 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        ApiServer.problem(ctx, Problems.http(422, "INVALID_INPUT", name + ": must be a whole number, 0 or more"));
        return null;
    }

    private static long parse(String value) {
        try {
            return value == null || value.isBlank() ? 0 : Math.max(0, Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private void noSuchSubscription(Context ctx) {
        ApiServer.problem(ctx, Problems.http(404, "NOT_FOUND", "No subscription " + ctx.pathParam("id")));
    }

    private static ArrayNode list(List<WebhookSubscription> subscriptions) {
        ArrayNode list = JSON.createArrayNode();
        subscriptions.forEach(s -> list.add(s.toJson(false)));
        return list;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static String text(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
