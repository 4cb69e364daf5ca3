package dev.connectorruntime.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.connectorruntime.host.http.ApiKeys;
import dev.connectorruntime.host.http.ApiServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The platform's HTTP API, over real HTTP: every endpoint and every error status. */
class HttpApiIT {
    private static final String API_KEY = "test-api-key-5521";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static TestHost test;
    private static ApiServer server;
    private static String base;

    record Response(int status, String contentType, String body) {
        JsonNode json() {
            return TestHost.json(body);
        }
    }

    @BeforeAll
    static void start() {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        test = TestHost.start(ConnectorHost.builder().retryPolicy(TestHost.FAST_RETRIES).meters(prometheus));
        server = ApiServer.start(test.host, prometheus, ApiServer.Settings.local().withKeys(ApiKeys.single(API_KEY)).withMaxBodyBytes(4096));
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
        test.close();
    }

    static Response get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET().build());
    }

    static Response getWithKey(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + API_KEY).GET().build());
    }

    static Response post(String path, String body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request.build());
    }

    static Response execute(String action, String body, String... headers) throws IOException, InterruptedException {
        String[] all = new String[headers.length + 2];
        all[0] = "Authorization";
        all[1] = "Bearer " + API_KEY;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return post("/api/actions/" + action + "/execute", body, all);
    }

    private static Response send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body());
    }

    private static void assertProblem(Response response, int status, String code) {
        assertEquals(status, response.status(), response.body());
        assertTrue(response.contentType().startsWith("application/problem+json"), response.contentType());
        JsonNode problem = response.json();
        assertEquals(status, problem.get("status").asInt());
        assertTrue(problem.get("type").asText().startsWith("https://"));
        assertFalse(problem.get("title").asText().isEmpty());
        if (code != null) {
            assertEquals(code, problem.at("/error/code").asText(), response.body());
        }
    }

    @Test
    void healthAndConnectors() throws Exception {
        JsonNode health = get("/health").json();
        assertEquals("UP", health.get("status").asText());
        assertEquals(test.host.actions().size(), health.get("actions").asInt());
        JsonNode connectors = get("/api/connectors").json();
        assertEquals("wecom", connectors.get(0).get("id").asText());
        assertTrue(connectors.get(0).at("/connectionSchema/properties/secrets/properties/app/writeOnly").asBoolean());
    }

    @Test
    void actionsCanBeFilteredByCategoryAndByChineseOrEnglishText() throws Exception {
        assertEquals(test.host.actions().size(), get("/api/actions").json().size());
        JsonNode calendar = get("/api/actions?category=calendar").json();
        assertTrue(calendar.size() >= 11);
        calendar.forEach(a -> assertEquals("calendar", a.get("category").asText()));
        JsonNode chinese = get("/api/actions?q=" + URLEncoder.encode("读取成员", StandardCharsets.UTF_8)).json();
        assertTrue(chinese.findValuesAsText("id").contains("user_get"), chinese.toString());
        JsonNode english = get("/api/actions?q=recall").json();
        assertTrue(english.findValuesAsText("id").contains("message_recall"), english.toString());
    }

    @Test
    void anActionComesWithItsSchemasAndAFormHint() throws Exception {
        JsonNode action = get("/api/actions/message_send").json();
        assertEquals("message_send", action.get("id").asText());
        assertTrue(action.at("/input/properties").has("textcard"));
        assertTrue(action.at("/output/properties").has("msgid"));
        assertEquals("textcard", action.at("/ui/formSchema/properties/textcard/options/dependencies/msgtype").asText());
        assertTrue(action.at("/ui/formSchema/properties/msgtype/enum").isArray());
        assertProblem(get("/api/actions/no_such_action"), 404, "UNKNOWN_ACTION");
    }

    @Test
    void validateAnswers200Or422WithEveryFieldError() throws Exception {
        assertEquals(200, post("/api/actions/user_get/validate", "{\"userid\": \"zhangsan\"}").status());
        Response invalid = post("/api/actions/user_get/validate", "{\"userid\": \"\", \"oops\": 1}");
        assertProblem(invalid, 422, "INVALID_INPUT");
        List<String> pointers = invalid.json().at("/error/fieldErrors").findValuesAsText("pointer");
        assertTrue(pointers.containsAll(List.of("/userid", "/oops")), pointers.toString());
        Response english = post("/api/actions/user_get/validate?lang=en", "{\"userid\": \"\"}");
        assertTrue(english.json().at("/error/fieldErrors/0/message").asText().contains("must be at least"), english.body());
    }

    @Test
    void executeRunsOnTheDefaultOrTheNamedConnection() throws Exception {
        Response ok = execute("user_get", "{\"userid\": \"lisi\"}");
        assertEquals(200, ok.status(), ok.body());
        assertEquals("李四", ok.json().get("name").asText());
        assertEquals(200, execute("user_get", "{\"userid\": \"lisi\"}", "X-Connection", "sandbox").status());
        assertEquals(200, post("/api/actions/user_get/execute?connection=sandbox", "{\"userid\": \"lisi\"}",
                "Authorization", "Bearer " + API_KEY).status());
        assertProblem(execute("user_get", "{\"userid\": \"lisi\"}", "X-Connection", "nope"), 400, "INVALID_CONNECTION");
    }

    @Test
    void executeMapsEveryFailureToAProblem() throws Exception {
        assertProblem(execute("no_such_action", "{}"), 404, "UNKNOWN_ACTION");
        Response invalid = execute("message_send", "{\"touser\": \"zhangsan\", \"msgtype\": \"textcard\", \"textcard\": {\"title\": \"t\", \"description\": \"d\"}}");
        assertProblem(invalid, 422, "INVALID_INPUT");
        assertEquals("/textcard/url", invalid.json().at("/error/fieldErrors/0/pointer").asText());
        assertProblem(execute("user_get", "{\"userid\": "), 422, "INVALID_INPUT");
        Response upstream = execute("user_get", "{\"userid\": \"nobody\"}");
        assertProblem(upstream, 502, "UPSTREAM_ERROR");
        assertEquals(60111, upstream.json().at("/error/errcode").asInt());
        assertFalse(upstream.json().at("/error/hint").asText().isEmpty());
    }

    @Test
    void executeNeedsTheApiKeyWhenOneIsConfigured() throws Exception {
        Response missing = post("/api/actions/user_get/execute", "{\"userid\": \"lisi\"}");
        assertProblem(missing, 401, null);
        Response wrong = post("/api/actions/user_get/execute", "{\"userid\": \"lisi\"}", "Authorization", "Bearer wrong");
        assertProblem(wrong, 401, null);
        assertEquals(401, get("/api/connections/sandbox/test").status());
    }

    @Test
    void bodiesOverTheLimitAre413() throws Exception {
        String huge = "{\"userid\": \"" + "a".repeat(5000) + "\"}";
        assertProblem(execute("user_get", huge), 413, null);
        assertProblem(post("/api/actions/user_get/validate", huge), 413, null);
    }

    @Test
    void unknownApiRoutesAre404Problems() throws Exception {
        assertProblem(getWithKey("/api/nothing-here"), 404, null);
    }

    @Test
    void connectionsCanBeListedAndTested() throws Exception {
        assertEquals("sandbox", getWithKey("/api/connections").json().get(0).asText());
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/connections/sandbox/test"))
                .header("Authorization", "Bearer " + API_KEY).GET().build();
        Response report = send(request);
        assertEquals(200, report.status(), report.body());
        assertTrue(report.json().get("ok").asBoolean());
        assertEquals(2, report.json().get("secrets").size(), "a new corp: the app and contact-sync secrets");
        assertFalse(report.body().contains("sandbox-app-secret"));
    }

    @Test
    void metricsAreInPrometheusFormat() throws Exception {
        execute("user_get", "{\"userid\": \"lisi\"}");
        execute("user_get", "{\"userid\": \"nobody\"}");
        Response metrics = getWithKey("/metrics");
        assertEquals(200, metrics.status());
        assertTrue(metrics.contentType().startsWith("text/plain"));
        assertTrue(metrics.body().contains("connector_calls_seconds_count{action=\"user_get\",outcome=\"OK\"}"), metrics.body());
        assertTrue(metrics.body().contains("connector_upstream_errcodes_total{action=\"user_get\",errcode=\"60111\"}"), metrics.body());
    }

    @Test
    void theOpenApiDocumentValidatesAgainstTheOpenApi31Schema() throws Exception {
        JsonNode doc = get("/openapi.json").json();
        assertEquals("3.1.0", doc.get("openapi").asText());
        assertEquals(test.host.actions().size() + managementPaths(doc).size(), doc.get("paths").size());
        assertTrue(doc.at("/paths/~1api~1connections~1{name}").has("put"), "managed connections are documented");
        assertTrue(doc.at("/paths/~1api~1subscriptions").has("post"), "subscriptions are documented");
        assertEquals(0, doc.at("/paths/~1callbacks~1{connection}~1{kind}/post/security").size(), "callbacks need no key");
        JsonNode operation = doc.at("/paths/~1api~1actions~1message_send~1execute/post");
        assertEquals("message_send", operation.get("operationId").asText());
        assertTrue(operation.at("/requestBody/content/application~1json/schema/properties").has("msgtype"));
        try (InputStream in = getClass().getResourceAsStream("/openapi-3.1-schema.json")) {
            Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
            List<Error> errors = schema.validate(doc);
            assertTrue(errors.isEmpty(), errors.toString());
        }
    }

    @Test
    void everyDocumentedRouteIsServed() throws Exception {
        List<String> paths = managementPaths(get("/openapi.json").json());
        assertTrue(paths.size() >= 18, paths.toString());
        for (String path : paths) {
            String concrete = path.replaceAll("\\{[^}]+}", "x");
            // A method no route takes: the server answers 405 where some route serves the path, 404 where none does.
            Response response = send(HttpRequest.newBuilder(URI.create(base + concrete)).header("Authorization", "Bearer " + API_KEY)
                    .header("Content-Type", "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString("{}")).build());
            assertEquals(405, response.status(), path + " is documented but not served: " + response.body());
        }
        Response undocumented = send(HttpRequest.newBuilder(URI.create(base + "/api/nothing-here")).header("Authorization", "Bearer " + API_KEY)
                .header("Content-Type", "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString("{}")).build());
        assertEquals(404, undocumented.status(), "the check tells a missing route apart");
    }

    private static List<String> managementPaths(JsonNode doc) {
        List<String> paths = new java.util.ArrayList<>();
        doc.get("paths").fieldNames().forEachRemaining(path -> {
            if (!path.matches("/api/actions/[^/{]+/execute")) {
                paths.add(path);
            }
        });
        return paths;
    }
}
