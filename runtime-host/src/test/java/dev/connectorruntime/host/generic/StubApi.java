package dev.connectorruntime.host.generic;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP API on loopback for connectors of any shape: {@code POST /oauth/token} issues numbered
 * client-credentials tokens; every other path answers 200 with what it received (method, path, query,
 * the authentication headers, body), except that a bearer token listed in {@link #revoked} gets 401
 * and a path under {@code /status/<n>} answers status n with an error body.
 */
final class StubApi implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    final AtomicInteger tokenRequests = new AtomicInteger();
    final Set<String> revoked = ConcurrentHashMap.newKeySet();
    volatile String lastTokenRequestBody;
    volatile String lastTokenRequestAuthorization;
    private final HttpServer server;

    StubApi() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = exchange.getRequestURI().getRawPath();
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (path.equals("/oauth/token")) {
            lastTokenRequestBody = body;
            lastTokenRequestAuthorization = authorization;
            sleep(100); // long enough for concurrent callers to pile up behind one request
            int n = tokenRequests.incrementAndGet();
            answer(exchange, 200, JSON.createObjectNode().put("access_token", "t" + n).put("token_type", "Bearer").put("expires_in", 3600));
            return;
        }
        if (authorization != null && authorization.startsWith("Bearer ") && revoked.contains(authorization.substring(7))) {
            answer(exchange, 401, JSON.createObjectNode().put("message", "token revoked"));
            return;
        }
        if (path.startsWith("/status/")) {
            int status = Integer.parseInt(path.substring("/status/".length()));
            answer(exchange, status, JSON.createObjectNode().put("code", "E" + status).put("message", "failed with " + status));
            return;
        }
        ObjectNode seen = JSON.createObjectNode()
                .put("method", exchange.getRequestMethod())
                .put("path", path)
                .put("query", exchange.getRequestURI().getRawQuery())
                .put("authorization", authorization)
                .put("apiKey", exchange.getRequestHeaders().getFirst("X-API-Key"))
                .put("cookie", exchange.getRequestHeaders().getFirst("Cookie"))
                .put("traceId", exchange.getRequestHeaders().getFirst("X-Trace-Id"))
                .put("contentType", exchange.getRequestHeaders().getFirst("Content-Type"))
                .put("body", body);
        answer(exchange, 200, seen);
    }

    private static void answer(HttpExchange exchange, int status, ObjectNode json) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(json);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
