package dev.connectorruntime.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for an API that an OpenAPI document describes, over real HTTP on loopback. It reads the
 * document itself (not our translation of it): a request is matched to an operation by method and
 * path template, checked against what the document declares (required parameters, the body's media
 * type, JSON that parses), recorded, and answered with the document's example of the operation's
 * success response. Failures can be queued to test error handling, and it can act as an OAuth2
 * client-credentials token endpoint.
 */
final class OpenApiStub implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    /** One request as it arrived, with the document's path template it matched; header names in lower case, query values decoded. */
    record Recorded(String method, String path, String template, Map<String, List<String>> query,
                    Map<String, List<String>> headers, byte[] body, long nanoTime) {
        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : values.get(0);
        }

        String queryValue(String name) {
            List<String> values = query.get(name);
            return values == null ? null : values.get(0);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The body as form fields (application/x-www-form-urlencoded). */
        Map<String, List<String>> form() {
            return decodeQuery(text());
        }
    }

    /** A queued answer that replaces the next matched operation's success. */
    record Failure(int status, String body, Map<String, String> headers) {}

    private record Route(String method, Pattern pattern, String template, JsonNode operation, JsonNode pathItem) {}

    private final JsonNode document;
    private final String basePath;
    private final List<Route> routes = new ArrayList<>();
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final Deque<Failure> failures = new ArrayDeque<>();
    private final List<Recorded> tokenRequests = new CopyOnWriteArrayList<>();
    private final AtomicInteger tokensIssued = new AtomicInteger();
    private final HttpServer server;
    private volatile String tokenPath;

    private OpenApiStub(Path document, String basePath) throws IOException {
        String text = Files.readString(document);
        this.document = (text.stripLeading().startsWith("{") ? JSON : YAML).readTree(text);
        this.basePath = basePath;
        this.document.path("paths").fields().forEachRemaining(p -> METHODS.forEach(m -> {
            if (p.getValue().has(m)) {
                routes.add(new Route(m.toUpperCase(Locale.ROOT), compile(p.getKey()), p.getKey(), p.getValue().get(m), p.getValue()));
            }
        }));
        // literal paths before templated ones: /pet/findByStatus is not /pet/{petId}
        routes.sort(Comparator.comparingInt(r -> r.template().split("\\{", -1).length));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a stub of {@code document} whose operations live under {@code basePath} (the server URL's path). */
    static OpenApiStub start(Path document, String basePath) {
        try {
            return new OpenApiStub(document, basePath);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + basePath);
    }

    /** Answers client-credentials token requests at {@code path} (relative to the root). */
    void tokenEndpoint(String path) {
        tokenPath = path;
    }

    List<Recorded> requests() {
        return List.copyOf(requests);
    }

    Recorded last() {
        if (requests.isEmpty()) {
            throw new AssertionError("the stub received no request");
        }
        return requests.get(requests.size() - 1);
    }

    List<Recorded> tokenRequests() {
        return List.copyOf(tokenRequests);
    }

    void clear() {
        requests.clear();
        tokenRequests.clear();
    }

    synchronized void failNext(Failure failure) {
        failures.add(failure);
    }

    /** The answer the document gives for an operation's success, as the stub sends it. */
    JsonNode example(String operationId) {
        Route route = routes.stream().filter(r -> operationId.equals(r.operation().path("operationId").asText(null)))
                .findFirst().orElseThrow(() -> new AssertionError("no operation " + operationId));
        JsonNode media = successMedia(route.operation());
        return media == null ? null : exampleOf(media);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            Map<String, List<String>> query = decodeQuery(exchange.getRequestURI().getRawQuery());
            Map<String, List<String>> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
            byte[] body = exchange.getRequestBody().readAllBytes();
            String method = exchange.getRequestMethod();
            if (tokenPath != null && path.equals(tokenPath) && method.equals("POST")) {
                tokenRequests.add(new Recorded(method, path, path, query, headers, body, System.nanoTime()));
                send(exchange, 200, "application/json", ("{\"access_token\": \"stub-token-" + tokensIssued.incrementAndGet()
                        + "\", \"token_type\": \"Bearer\", \"expires_in\": 3600}").getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (!path.startsWith(basePath)) {
                send(exchange, 404, "text/plain", ("not under " + basePath).getBytes(StandardCharsets.UTF_8));
                return;
            }
            String relative = URLDecoder.decode(path.substring(basePath.length()), StandardCharsets.UTF_8);
            Route route = routes.stream().filter(r -> r.method().equals(method) && r.pattern().matcher(relative).matches())
                    .findFirst().orElse(null);
            if (route == null) {
                send(exchange, 404, "text/plain", ("no operation " + method + " " + relative).getBytes(StandardCharsets.UTF_8));
                return;
            }
            requests.add(new Recorded(method, relative, route.template(), query, headers, body, System.nanoTime()));
            String problem = check(route, query, headers, body);
            if (problem != null) {
                send(exchange, 400, "application/json", JSON.createObjectNode().put("message", problem).toString()
                        .getBytes(StandardCharsets.UTF_8));
                return;
            }
            Failure failure;
            synchronized (this) {
                failure = failures.poll();
            }
            if (failure != null) {
                failure.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
                send(exchange, failure.status(), "application/json", failure.body().getBytes(StandardCharsets.UTF_8));
                return;
            }
            answer(exchange, route.operation());
        } catch (RuntimeException e) {
            send(exchange, 500, "text/plain", String.valueOf(e).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** What the document requires of a request: its required query and header parameters and its body's media type. */
    private String check(Route route, Map<String, List<String>> query, Map<String, List<String>> headers, byte[] body) {
        List<JsonNode> parameters = new ArrayList<>();
        route.pathItem().path("parameters").forEach(p -> parameters.add(resolve(p)));
        route.operation().path("parameters").forEach(p -> parameters.add(resolve(p)));
        for (JsonNode parameter : parameters) {
            if (!parameter.path("required").asBoolean(false)) {
                continue;
            }
            String name = parameter.path("name").asText();
            switch (parameter.path("in").asText()) {
                case "query" -> {
                    if (!query.containsKey(name)) {
                        return "missing required query parameter " + name;
                    }
                }
                case "header" -> {
                    if (!headers.containsKey(name.toLowerCase(Locale.ROOT))) {
                        return "missing required header " + name;
                    }
                }
                default -> { }
            }
        }
        JsonNode requestBody = resolve(route.operation().path("requestBody"));
        if (requestBody.isMissingNode()) {
            return null;
        }
        List<String> contentType = headers.get("content-type");
        if (contentType == null) {
            return requestBody.path("required").asBoolean(false) ? "missing required body" : null;
        }
        String mediaType = contentType.get(0).split(";")[0].strip();
        if (!requestBody.path("content").has(mediaType)) {
            return "body of type " + mediaType + " is not one the document declares";
        }
        if (mediaType.contains("json")) {
            try {
                JSON.readTree(body);
            } catch (IOException e) {
                return "body is not JSON: " + e.getMessage();
            }
        }
        return null;
    }

    private void answer(HttpExchange exchange, JsonNode operation) throws IOException {
        String code = successCode(operation);
        int status = code == null || !code.matches("\\d{3}") ? 200 : Integer.parseInt(code);
        JsonNode content = code == null ? null : resolve(operation.path("responses").get(code)).path("content");
        if (content == null || content.isEmpty()) {
            send(exchange, status, null, new byte[0]);
            return;
        }
        String mediaType = content.fieldNames().next();
        for (var names = content.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (name.contains("json")) {
                mediaType = name;
                break;
            }
        }
        if (!mediaType.contains("json")) {
            send(exchange, status, mediaType, ("stub " + mediaType).getBytes(StandardCharsets.UTF_8));
            return;
        }
        send(exchange, status, mediaType, JSON.writeValueAsBytes(exampleOf(content.get(mediaType))));
    }

    private JsonNode successMedia(JsonNode operation) {
        String code = successCode(operation);
        if (code == null) {
            return null;
        }
        JsonNode content = resolve(operation.path("responses").get(code)).path("content");
        for (var names = content.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (name.contains("json")) {
                return content.get(name);
            }
        }
        return null;
    }

    private static String successCode(JsonNode operation) {
        List<String> codes = new ArrayList<>();
        operation.path("responses").fieldNames().forEachRemaining(codes::add);
        return codes.stream().filter(c -> c.startsWith("2")).sorted().findFirst().orElse(null);
    }

    /** The media type's example, else its first named example, else one put together from its schema. */
    private JsonNode exampleOf(JsonNode media) {
        if (media.has("example")) {
            return media.get("example");
        }
        for (JsonNode example : media.path("examples")) {
            JsonNode value = resolve(example).get("value");
            if (value != null) {
                return value;
            }
        }
        return fromSchema(media.path("schema"), 0);
    }

    private JsonNode fromSchema(JsonNode reference, int depth) {
        JsonNode schema = resolve(reference);
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (depth > 6) {
            return nodes.nullNode();
        }
        if (schema.has("example")) {
            return schema.get("example");
        }
        if (schema.path("examples").isArray() && !schema.get("examples").isEmpty()) {
            return schema.get("examples").get(0);
        }
        if (schema.path("enum").isArray() && !schema.get("enum").isEmpty()) {
            return schema.get("enum").get(0);
        }
        if (schema.has("allOf")) {
            ObjectNode merged = nodes.objectNode();
            schema.get("allOf").forEach(part -> {
                JsonNode value = fromSchema(part, depth + 1);
                if (value.isObject()) {
                    merged.setAll((ObjectNode) value);
                }
            });
            return merged;
        }
        for (String alternatives : List.of("oneOf", "anyOf")) {
            if (schema.path(alternatives).isArray() && !schema.get(alternatives).isEmpty()) {
                return fromSchema(schema.get(alternatives).get(0), depth + 1);
            }
        }
        String type = schema.path("type").isArray() ? schema.get("type").get(0).asText() : schema.path("type").asText("object");
        switch (type) {
            case "array" -> {
                ArrayNode array = nodes.arrayNode();
                return array.add(fromSchema(schema.path("items"), depth + 1));
            }
            case "string" -> {
                return nodes.textNode(plainString(schema));
            }
            case "integer" -> {
                return nodes.numberNode(1);
            }
            case "number" -> {
                return nodes.numberNode(1.5);
            }
            case "boolean" -> {
                return nodes.booleanNode(true);
            }
            default -> {
                ObjectNode object = nodes.objectNode();
                schema.path("properties").fields().forEachRemaining(p -> object.set(p.getKey(), fromSchema(p.getValue(), depth + 1)));
                return object;
            }
        }
    }

    /** A string the schema accepts: by its format, else the first of a few that fits its pattern and length. */
    private static String plainString(JsonNode schema) {
        switch (schema.path("format").asText("")) {
            case "date-time" -> {
                return "2024-01-01T00:00:00Z";
            }
            case "date" -> {
                return "2024-01-01";
            }
            case "uri", "url" -> {
                return "https://example.com/x";
            }
            case "uuid" -> {
                return "3be6453c-03eb-4357-ae5a-984a0e574a54";
            }
            case "email" -> {
                return "ada@example.com";
            }
            default -> { }
        }
        for (String candidate : List.of("string", "2024-01-01T00:00:00Z", "2024-01-01", "https://example.com/x", "A1")) {
            boolean fits = candidate.length() >= schema.path("minLength").asInt(0)
                    && candidate.length() <= schema.path("maxLength").asInt(Integer.MAX_VALUE)
                    && (!schema.has("pattern") || Pattern.compile(schema.get("pattern").asText()).matcher(candidate).find());
            if (fits) {
                return candidate;
            }
        }
        return "string";
    }

    private JsonNode resolve(JsonNode node) {
        JsonNode current = node;
        while (current != null && current.has("$ref")) {
            current = document.at(current.get("$ref").asText().substring(1));
        }
        return current == null ? JSON.missingNode() : current;
    }

    private static Pattern compile(String template) {
        Matcher parameters = Pattern.compile("\\{[^}]+}").matcher(template);
        StringBuilder regex = new StringBuilder();
        int last = 0;
        while (parameters.find()) {
            regex.append(Pattern.quote(template.substring(last, parameters.start()))).append("[^/]+");
            last = parameters.end();
        }
        regex.append(Pattern.quote(template.substring(last)));
        return Pattern.compile(regex.toString());
    }

    static Map<String, List<String>> decodeQuery(String raw) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return out;
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        if (contentType != null) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }
        boolean empty = body.length == 0 || status == 204;
        exchange.sendResponseHeaders(status, empty ? -1 : body.length);
        if (!empty) {
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
