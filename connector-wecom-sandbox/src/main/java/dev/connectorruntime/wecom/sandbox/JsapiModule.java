package dev.connectorruntime.wecom.sandbox;

import static dev.connectorruntime.wecom.sandbox.SandboxModule.Endpoint.read;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * JS-SDK: the corp jsapi_ticket ({@code get_jsapi_ticket}, one per corp) and the app ticket
 * ({@code ticket/get?type=agent_config}, one per app, i.e. per secret kind). A ticket is random and
 * stays the same until it expires, 7200 s after it was issued; {@code expires_in} is its remaining
 * lifetime. As in WeCom, one app may fetch tickets at most 100 times an hour (45009). The number of
 * tickets issued since the last reset is kept in the state as {@link #ISSUED}.
 */
final class JsapiModule implements SandboxModule {
    static final String TICKETS = "jsapiTickets";
    static final String ISSUED = "jsapi.ticketsIssued";
    static final String FETCHES = "jsapi.fetches";
    static final long TICKET_TTL_SECONDS = 7200;
    static final int FETCHES_PER_APP_PER_HOUR = 100;
    private static final String AGENT_CONFIG = "agent_config";
    private static final SecureRandom RANDOM = new SecureRandom();

    private record Fetch(String app, Instant at) {}

    @Override
    public void seed(SandboxState state, JsonNode seed) {
        state.put(ISSUED, 0);
        state.put(FETCHES, new ArrayList<Fetch>());
    }

    @Override
    public Map<String, Endpoint> endpoints() {
        return Map.of(
                "/cgi-bin/get_jsapi_ticket", read("GET", JsapiModule::corpTicket),
                "/cgi-bin/ticket/get", read("GET", JsapiModule::agentTicket));
    }

    static int issued(SandboxState state) {
        return state.get(ISSUED, 0);
    }

    private static ObjectNode corpTicket(SandboxRequest request, SandboxState state) {
        return ticket(state, "corp", request.secretKind());
    }

    private static ObjectNode agentTicket(SandboxRequest request, SandboxState state) {
        String type = request.param("type");
        if (!AGENT_CONFIG.equals(type)) {
            throw new WeComError(91040, "invalid ticket type: " + (type == null ? "missing" : type) + ", use type=agent_config");
        }
        return ticket(state, "agent:" + request.secretKind(), request.secretKind());
    }

    private static ObjectNode ticket(SandboxState state, String holder, String app) {
        Instant now = Instant.now();
        countFetch(state, app, now);
        ObjectNode ticket = state.find(TICKETS, holder);
        if (ticket == null || !now.isBefore(Instant.ofEpochMilli(ticket.get("expires_at_ms").asLong()))) {
            ticket = issue(state, holder, now);
        }
        long remainingMs = ticket.get("expires_at_ms").asLong() - now.toEpochMilli();
        return Json.object()
                .put("ticket", ticket.get("ticket").asText())
                .put("expires_in", (remainingMs + 999) / 1000);
    }

    private static ObjectNode issue(SandboxState state, String holder, Instant now) {
        ObjectNode ticket = Json.object()
                .put("ticket", randomTicket())
                .put("expires_at_ms", now.plusSeconds(TICKET_TTL_SECONDS).toEpochMilli());
        state.collection(TICKETS).put(holder, ticket);
        state.put(ISSUED, issued(state) + 1);
        return ticket;
    }

    private static void countFetch(SandboxState state, String app, Instant now) {
        List<Fetch> fetches = state.get(FETCHES, new ArrayList<Fetch>());
        Instant hourAgo = now.minusSeconds(3600);
        fetches.removeIf(f -> !f.at().isAfter(hourAgo));
        long byApp = fetches.stream().filter(f -> f.app().equals(app)).count();
        if (byApp >= FETCHES_PER_APP_PER_HOUR) {
            throw new WeComError(45009, "api freq out of limit: at most " + FETCHES_PER_APP_PER_HOUR
                    + " jsapi_ticket fetches per app an hour, cache the ticket");
        }
        fetches.add(new Fetch(app, now));
        state.put(FETCHES, fetches);
    }

    private static String randomTicket() {
        byte[] bytes = new byte[48];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
