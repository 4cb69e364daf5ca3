package dev.connectorruntime.wecom.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.connectorruntime.spi.Sandbox;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** The sandbox's HTTP server: tokens, admin API, faults, and dispatch to the modules' routes. */
final class SandboxServer implements Sandbox.Instance {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int RECENT_REQUESTS = 500;
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final JsonNode seed;
    private final List<SandboxModule> modules = Modules.all();
    private final Map<String, SandboxModule.Endpoint> endpoints = new HashMap<>();
    private final SandboxState state = new SandboxState();
    private final Faults faults = new Faults();
    private final Map<String, IssuedToken> tokens = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> applied = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> gettoken = new ConcurrentHashMap<>();
    private final Deque<ObjectNode> recent = new ArrayDeque<>();
    private final HttpServer server;
    private final ExecutorService executor;
    private volatile long tokenTtlSeconds = 7200;
    /** When set (a secret kind), any non-empty secret of the corp is taken as that kind: many tenants, one sandbox. */
    private volatile String anySecretIs;
    private volatile Instant nextTokenSweep = Instant.MIN;
    private final CallbackSender callbacks;
    private final InjectedEvents injected = new InjectedEvents();

    private record IssuedToken(String kind, Instant expiresAt, boolean revoked) {}

    private SandboxServer(JsonNode seed) throws IOException {
        this.seed = seed;
        this.callbacks = new CallbackSender(seed.get("corpId").asText());
        state.corpId(seed.get("corpId").asText());
        modules.forEach(m -> endpoints.putAll(m.endpoints()));
        reseed();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "wecom-sandbox-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    static SandboxServer start() {
        try (InputStream in = SandboxServer.class.getClassLoader().getResourceAsStream("sandbox/seed.json")) {
            if (in == null) {
                throw new IllegalStateException("missing resource sandbox/seed.json");
            }
            return new SandboxServer(JSON.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public URI baseUrl() {
        return URI.create("http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort());
    }

    @Override
    public ObjectNode connection() {
        ObjectNode connection = JSON.createObjectNode();
        connection.put("name", "sandbox");
        connection.put("corpId", seed.get("corpId").asText());
        connection.put("agentId", seed.get("agentId").asLong());
        connection.put("baseUrl", baseUrl().toString());
        // a corp created since 2023-12-01: 家校沟通 and 客户联系 are called with the app, not the system secrets
        connection.set("secrets", ((ObjectNode) seed.get("secrets")).deepCopy().retain("app", "contact"));
        connection.set("callbacks", callbacks.connectionSettings());
        return connection;
    }

    @Override
    public void sendCallbacksTo(URI base) {
        callbacks.target(base);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        callbacks.close();
    }

    private void reseed() {
        synchronized (state) {
            state.clear();
            modules.forEach(m -> m.seed(state, seed));
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (path.startsWith("/sandbox/")) {
                admin(exchange, path);
                return;
            }
            requests.computeIfAbsent(path, p -> new LongAdder()).increment();
            Faults.Rule fault = faults.next(path);
            if (fault != null) {
                switch (fault.kind()) {
                    case LATENCY -> sleep(fault.latencyMs());
                    case DROP_BEFORE -> {
                        return; // closing the exchange before any answer closes the connection
                    }
                    case HTTP_STATUS -> {
                        send(exchange, fault.status(), "{\"error\":\"injected\"}".getBytes(StandardCharsets.UTF_8));
                        return;
                    }
                    case ERRCODE -> {
                        sendJson(exchange, error(fault.errcode(), "injected fault, hint: [sandbox]"));
                        return;
                    }
                    default -> { }
                }
            }
            Map<String, String> query = query(exchange.getRequestURI());
            byte[] raw = exchange.getRequestBody().readAllBytes();
            ObjectNode answer = "/cgi-bin/gettoken".equals(path) ? gettoken(query)
                    : api(exchange, path, query, raw, fault);
            if (fault != null && fault.kind() == Faults.Kind.DROP_AFTER) {
                return;
            }
            if (fault != null && fault.kind() == Faults.Kind.TRUNCATE) {
                byte[] full = JSON.writeValueAsBytes(answer);
                send(exchange, 200, java.util.Arrays.copyOf(full, full.length / 2));
                return;
            }
            sendJson(exchange, answer);
        } catch (RuntimeException e) {
            sendJson(exchange, error(-1, "sandbox internal error: " + e));
        }
    }

    private ObjectNode gettoken(Map<String, String> query) {
        if (!seed.get("corpId").asText().equals(query.get("corpid"))) {
            return error(40013, "invalid corpid");
        }
        String secret = query.get("corpsecret");
        if (secret == null || secret.isEmpty()) {
            return error(41004, "corpsecret missing");
        }
        sweepExpiredTokens();
        Iterator<Map.Entry<String, JsonNode>> kinds = seed.get("secrets").fields();
        while (kinds.hasNext()) {
            Map.Entry<String, JsonNode> kind = kinds.next();
            if (kind.getValue().asText().equals(secret) || kind.getKey().equals(anySecretIs)) {
                gettoken.computeIfAbsent(kind.getKey(), k -> new LongAdder()).increment();
                String token = randomToken();
                long ttl = tokenTtlSeconds;
                tokens.put(token, new IssuedToken(kind.getKey(), Instant.now().plusSeconds(ttl), false));
                ObjectNode ok = ok();
                ok.put("access_token", token);
                ok.put("expires_in", ttl);
                return ok;
            }
        }
        return error(40001, "invalid credential");
    }

    /**
     * Forgets tokens expired for over 10 s (until then a caller still gets "expired", 42001), at most
     * once a second: a sandbox serving many tenants stays small.
     */
    private void sweepExpiredTokens() {
        Instant now = Instant.now();
        if (now.isAfter(nextTokenSweep)) {
            nextTokenSweep = now.plusSeconds(1);
            Instant forgotten = now.minusSeconds(10);
            tokens.values().removeIf(t -> t.expiresAt().isBefore(forgotten));
        }
    }

    private ObjectNode api(HttpExchange exchange, String path, Map<String, String> query, byte[] raw, Faults.Rule fault) {
        String token = query.remove("access_token");
        if (token == null || token.isEmpty()) {
            return error(41001, "access_token missing");
        }
        if (fault != null && fault.kind() == Faults.Kind.REVOKE_TOKEN) {
            tokens.computeIfPresent(token, (t, issued) -> new IssuedToken(issued.kind(), issued.expiresAt(), true));
        }
        IssuedToken issued = tokens.get(token);
        if (issued == null || issued.revoked()) {
            return error(40014, "invalid access_token");
        }
        if (Instant.now().isAfter(issued.expiresAt())) {
            return error(42001, "access_token expired");
        }
        SandboxModule.Endpoint endpoint = endpoints.get(path);
        if (endpoint == null) {
            return error(48001, "api forbidden: the sandbox does not serve " + path);
        }
        if (!endpoint.method().equals(exchange.getRequestMethod())) {
            return error(40058, "http method " + exchange.getRequestMethod() + " not supported, use " + endpoint.method());
        }
        ObjectNode body;
        byte[] file = null;
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType != null && contentType.startsWith("multipart/form-data")) {
            Multipart.Part part = Multipart.firstFile(raw, contentType);
            if (part == null) {
                return error(41006, "media data missing");
            }
            body = JSON.createObjectNode();
            body.put("filename", part.filename());
            body.put("content_type", part.contentType());
            body.put("length", part.content().length);
            file = part.content();
        } else if (raw.length == 0) {
            body = JSON.createObjectNode();
        } else {
            try {
                JsonNode parsed = JSON.readTree(raw);
                if (!(parsed instanceof ObjectNode object)) {
                    return error(47001, "data format error");
                }
                body = object;
            } catch (IOException e) {
                return error(47001, "data format error");
            }
        }
        record(path, query, body, issued.kind());
        SandboxRequest request = new SandboxRequest(exchange.getRequestMethod(), path, query, body, issued.kind(), file);
        ObjectNode answer;
        synchronized (state) {
            try {
                answer = endpoint.route().handle(request, state);
            } catch (WeComError e) {
                state.takeCallbacks(); // a failed write changed nothing: WeCom tells nobody
                return error(e.errcode, e.getMessage());
            }
            state.takeCallbacks().forEach(c -> callbacks.send(c.kind(), c.xml()));
        }
        if (endpoint.write()) {
            applied.computeIfAbsent(path, p -> new LongAdder()).increment();
        }
        ObjectNode ok = ok();
        ok.setAll(answer);
        return ok;
    }

    private void record(String path, Map<String, String> query, ObjectNode body, String secretKind) {
        ObjectNode entry = JSON.createObjectNode();
        entry.put("path", path);
        entry.put("secretKind", secretKind);
        entry.put("at", System.currentTimeMillis());
        ObjectNode q = entry.putObject("query");
        query.forEach(q::put);
        entry.set("body", body.deepCopy());
        synchronized (recent) {
            recent.addLast(entry);
            if (recent.size() > RECENT_REQUESTS) {
                recent.removeFirst();
            }
        }
    }

    private void admin(HttpExchange exchange, String path) throws IOException {
        byte[] raw = exchange.getRequestBody().readAllBytes();
        String method = exchange.getRequestMethod();
        ObjectNode answer = ok();
        switch (method + " " + path) {
            case "POST /sandbox/reset" -> {
                reseed();
                callbacks.clearRecent();
                faults.clear();
                requests.clear();
                applied.clear();
                gettoken.clear();
                synchronized (recent) {
                    recent.clear();
                }
            }
            case "GET /sandbox/stats" -> {
                answer.set("requests", counts(requests));
                answer.set("applied", counts(applied));
                answer.set("gettoken", counts(gettoken));
            }
            case "GET /sandbox/requests" -> {
                ArrayNode list = answer.putArray("requests");
                synchronized (recent) {
                    recent.forEach(list::add);
                }
            }
            case "POST /sandbox/faults" -> {
                JsonNode spec = JSON.readTree(raw);
                if (spec.isArray()) {
                    spec.forEach(faults::add);
                } else {
                    faults.add(spec);
                }
            }
            case "DELETE /sandbox/faults" -> faults.clear();
            case "GET /sandbox/tokens" -> tokens.keySet().forEach(answer.putArray("tokens")::add);
            case "POST /sandbox/tokens/revoke" -> tokens.replaceAll((t, i) -> new IssuedToken(i.kind(), i.expiresAt(), true));
            case "POST /sandbox/tokens/expire" -> tokens.replaceAll((t, i) -> new IssuedToken(i.kind(), Instant.EPOCH, i.revoked()));
            case "POST /sandbox/generate" -> {
                JsonNode spec = JSON.readTree(raw);
                try {
                    synchronized (state) {
                        answer.put("groupchats", ExternalContactModule.generateGroupChats(state, spec.path("groupchats").asInt(0)));
                    }
                } catch (IllegalArgumentException e) {
                    send(exchange, 400, JSON.writeValueAsBytes(error(40058, e.getMessage())));
                    return;
                }
            }
            case "POST /sandbox/callbacks" -> {
                JsonNode config = JSON.readTree(raw);
                if (config.has("url")) {
                    callbacks.target(config.get("url").isNull() ? null : URI.create(config.get("url").asText()));
                }
                if (config.has("answerTimeoutMs") || config.has("resendAfterMs")) {
                    callbacks.timing(java.time.Duration.ofMillis(config.path("answerTimeoutMs").asLong(5000)),
                            java.time.Duration.ofMillis(config.path("resendAfterMs").asLong(1000)));
                }
            }
            case "GET /sandbox/callbacks" -> {
                URI target = callbacks.target();
                answer.put("url", target == null ? null : target.toString());
                answer.set("sent", callbacks.recent());
            }
            case "POST /sandbox/events" -> {
                try {
                    InjectedEvents.Injected event = injected.from(JSON.readTree(raw), seed.get("corpId").asText(), seed.get("agentId").asLong());
                    callbacks.send(event.kind(), event.xml());
                    answer.put("kind", event.kind());
                } catch (IllegalArgumentException e) {
                    send(exchange, 400, JSON.writeValueAsBytes(error(40058, e.getMessage())));
                    return;
                }
            }
            case "POST /sandbox/config" -> {
                JsonNode config = JSON.readTree(raw);
                if (config.has("tokenTtlSeconds")) {
                    tokenTtlSeconds = config.get("tokenTtlSeconds").asLong();
                }
                if (config.has("anySecretIs")) {
                    anySecretIs = config.get("anySecretIs").isNull() ? null : config.get("anySecretIs").asText();
                }
                if (config.has("systemSecretsAccepted")) {
                    synchronized (state) {
                        state.put(Route.SYSTEM_SECRETS_ACCEPTED, config.get("systemSecretsAccepted").asBoolean());
                    }
                }
            }
            default -> {
                send(exchange, 404, "{\"error\":\"unknown sandbox admin call\"}".getBytes(StandardCharsets.UTF_8));
                return;
            }
        }
        sendJson(exchange, answer);
    }

    private static ObjectNode counts(Map<String, LongAdder> counters) {
        ObjectNode node = JSON.createObjectNode();
        new java.util.TreeMap<>(counters).forEach((k, v) -> node.put(k, v.sum()));
        return node;
    }

    static ObjectNode ok() {
        ObjectNode node = JSON.createObjectNode();
        node.put("errcode", 0);
        node.put("errmsg", "ok");
        return node;
    }

    private static ObjectNode error(int errcode, String errmsg) {
        ObjectNode node = JSON.createObjectNode();
        node.put("errcode", errcode);
        node.put("errmsg", errmsg);
        return node;
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> query = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            query.put(name, value);
        }
        return query;
    }

    private static void sendJson(HttpExchange exchange, ObjectNode body) throws IOException {
        send(exchange, 200, JSON.writeValueAsBytes(body));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String randomToken() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
