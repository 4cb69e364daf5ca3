package dev.connectorruntime.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connectorruntime.host.format.ErrorJson;
import dev.connectorruntime.host.http.ApiServer;
import dev.connectorruntime.spi.ActionDescriptor;
import dev.connectorruntime.spi.ActionError;
import dev.connectorruntime.spi.ErrorCode;
import dev.connectorruntime.spi.ExecutionResult;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Connectors made from published OpenAPI documents (the folder of connector-openapi's test
 * resources, given to the host as its connectors folder), each operation executed against a stub of
 * its document over real HTTP on loopback, the wire checked: method, path, query, headers,
 * authentication, body encoding.
 */
class OpenApiConnectorIT {
    private static final String API_KEY = "pk-test-123";
    private static final String BEARER = "jwt-test-456";
    private static final String MUSEUM_USER = "ada";
    private static final String MUSEUM_PASSWORD = "lovelace";
    private static final String TWILIO_SID = "AC0123";
    private static final String TWILIO_TOKEN = "twilio-secret";
    private static final String PAYPAL_CLIENT = "client-1";
    private static final String PAYPAL_SECRET = "client-secret-1";

    /** connector id -> its stub and connection name (equal to the connector id). */
    private static final Map<String, OpenApiStub> STUBS = new LinkedHashMap<>();
    private static ConnectorHost host;
    private static Path documents;

    @BeforeAll
    static void start() throws Exception {
        documents = Path.of(System.getProperty("openapi.documents", "../connector-openapi/src/test/resources/connectors"));
        STUBS.put("petstore", OpenApiStub.start(documents.resolve("petstore3.openapi.yaml"), "/api/v3"));
        STUBS.put("museum", OpenApiStub.start(documents.resolve("museum.openapi.yaml"), ""));
        STUBS.put("paypal", OpenApiStub.start(documents.resolve("paypal-catalogs-products.openapi.json"), ""));
        STUBS.put("twilio", OpenApiStub.start(documents.resolve("twilio-routes.openapi.json"), ""));
        STUBS.put("oai-non-oauth-scopes", OpenApiStub.start(documents.resolve("oai-non-oauth-scopes.openapi.json"), ""));
        STUBS.get("paypal").tokenEndpoint("/v1/oauth2/token");

        host = ConnectorHost.builder().pluginsDir(pluginsDir()).connectorSources(List.of(documents))
                .retryPolicy(TestHost.FAST_RETRIES).build();
        connect("petstore", Map.of("apiKey", API_KEY), Map.of());
        connect("museum", Map.of("password", MUSEUM_PASSWORD), Map.of("username", MUSEUM_USER));
        connect("paypal", Map.of("clientSecret", PAYPAL_SECRET), Map.of("clientId", PAYPAL_CLIENT));
        connect("twilio", Map.of("password", TWILIO_TOKEN), Map.of("username", TWILIO_SID));
        connect("oai-non-oauth-scopes", Map.of("token", BEARER), Map.of());
    }

    @AfterAll
    static void stop() {
        if (host != null) {
            host.close();
        }
        STUBS.values().forEach(OpenApiStub::close);
    }

    @BeforeEach
    void clear() {
        STUBS.values().forEach(OpenApiStub::clear);
    }

    /** A plugins directory with both packaged plugins, as an operator installs them. */
    static Path pluginsDir() throws IOException {
        Path dist = Path.of(System.getProperty("runtime.dist", "target/dist"), "plugins");
        Path dir = Files.createTempDirectory("plugins");
        for (String zip : List.of("wecom-plugin.zip", "openapi-plugin.zip")) {
            Files.copy(dist.resolve(zip), dir.resolve(zip));
        }
        return dir;
    }

    private static void connect(String connector, Map<String, String> secrets, Map<String, String> settings) throws Exception {
        ObjectNode connection = TestHost.JSON.createObjectNode();
        connection.put("name", connector).put("connector", connector).put("baseUrl", STUBS.get(connector).baseUrl().toString());
        settings.forEach(connection::put);
        ObjectNode secretsNode = connection.putObject("secrets");
        secrets.forEach(secretsNode::put);
        host.addConnection(connection);
    }

    private static String connectorOf(ActionDescriptor action) {
        return action.id().substring(0, action.id().indexOf('.'));
    }

    private static JsonNode inputFor(ActionDescriptor action) {
        return action.examples().isEmpty() ? SampleInput.of(action.input()) : action.examples().get(0).input();
    }

    private static ExecutionResult execute(String actionId, JsonNode input) {
        return host.execute(actionId, input, ExecuteOptions.DEFAULTS.withConnection(actionId.substring(0, actionId.indexOf('.'))));
    }

    private static JsonNode success(String actionId, JsonNode input) {
        ExecutionResult result = execute(actionId, input);
        if (result instanceof ExecutionResult.Failure failure) {
            throw new AssertionError(actionId + " failed: " + ErrorJson.of(failure.error()));
        }
        return ((ExecutionResult.Success) result).output();
    }

    private static JsonNode json(String text) {
        return TestHost.json(text);
    }

    @Test
    void everyOperationOfEveryDocumentIsAnAction() {
        Map<String, Integer> perConnector = new LinkedHashMap<>();
        host.actions().stream().filter(a -> a.id().contains(".")).forEach(a -> perConnector.merge(connectorOf(a), 1, Integer::sum));
        assertEquals(Map.of("petstore", 19, "museum", 8, "paypal", 4, "twilio", 6, "oai-non-oauth-scopes", 1), perConnector);
        assertTrue(host.actions().stream().anyMatch(a -> a.id().equals("user_get")), "the WeCom plugin's actions stay");
    }

    @TestFactory
    Stream<DynamicTest> everyOperationRunsAgainstItsStub() {
        return host.actions().stream().filter(a -> a.id().contains(".")).map(action -> DynamicTest.dynamicTest(action.id(), () -> {
            OpenApiStub stub = STUBS.get(connectorOf(action));
            stub.clear();
            JsonNode output = success(action.id(), inputFor(action));
            OpenApiStub.Recorded request = stub.last();
            assertEquals(action.http().method().name(), request.method());
            assertEquals(action.http().path(), request.template(), "the stub matched the document's operation");
            assertExpectedAuthentication(connectorOf(action), action, request);
            assertEquals(List.of(), host.validateOutput(action.id(), output), "the answer fits the output schema: " + output);
        }));
    }

    private static void assertExpectedAuthentication(String connector, ActionDescriptor action, OpenApiStub.Recorded request) {
        boolean needsNone = action.credential().equals(ActionDescriptor.NO_CREDENTIAL);
        switch (connector) {
            case "petstore" -> assertEquals(needsNone ? null : API_KEY, request.header("api_key"), action.id());
            case "museum" -> assertEquals(basic(MUSEUM_USER, MUSEUM_PASSWORD), request.header("Authorization"));
            case "twilio" -> assertEquals(basic(TWILIO_SID, TWILIO_TOKEN), request.header("Authorization"));
            case "paypal" -> assertTrue(request.header("Authorization").matches("Bearer stub-token-\\d+"), request.header("Authorization"));
            case "oai-non-oauth-scopes" -> assertEquals("Bearer " + BEARER, request.header("Authorization"));
            default -> throw new AssertionError(connector);
        }
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void pathQueryAndHeaderParametersGoWhereTheDocumentSays() {
        OpenApiStub petstore = STUBS.get("petstore");
        JsonNode pet = success("petstore.get_pet_by_id", json("{\"petId\": 10}"));
        assertEquals("/pet/10", petstore.last().path());
        assertEquals(petstore.example("getPetById"), pet, "the output is the document's example, as the stub answered it");

        success("petstore.find_pets_by_tags", json("{\"tags\": [\"tag1\", \"tag2\"]}"));
        assertEquals(List.of("tag1", "tag2"), petstore.last().query().get("tags"), "an array is one parameter per item");

        success("petstore.delete_pet", json("{\"petId\": 7, \"api_key\": \"header-value\"}"));
        OpenApiStub.Recorded delete = petstore.last();
        assertEquals("DELETE", delete.method());
        assertEquals("/pet/7", delete.path());
        assertTrue(delete.headers().get("api_key").contains("header-value"), "the header parameter is sent");

        success("petstore.update_pet_with_form", json("{\"petId\": 3, \"name\": \"rex\", \"status\": \"sold\"}"));
        assertEquals("rex", petstore.last().queryValue("name"));
        assertEquals(0, petstore.last().body().length);
    }

    @Test
    void jsonBodiesAndTheirExamples() {
        OpenApiStub petstore = STUBS.get("petstore");
        success("petstore.add_pet", json("{\"name\": \"doggie\", \"photoUrls\": [\"https://example.com/d.png\"], \"status\": \"available\"}"));
        OpenApiStub.Recorded add = petstore.last();
        assertEquals("/pet", add.path());
        assertTrue(add.header("Content-Type").startsWith("application/json"));
        assertEquals(json("{\"name\": \"doggie\", \"photoUrls\": [\"https://example.com/d.png\"], \"status\": \"available\"}"), add.json());

        success("petstore.create_users_with_list_input", json("{\"body\": [{\"username\": \"theUser\"}]}"));
        assertEquals(json("[{\"username\": \"theUser\"}]"), petstore.last().json(), "a non-object body is the field 'body'");

        OpenApiStub museum = STUBS.get("museum");
        ActionDescriptor create = host.action("museum.create_special_event").orElseThrow();
        JsonNode created = success(create.id(), create.examples().get(0).input());
        assertEquals(create.examples().get(0).input(), museum.last().json(), "the document's request example, sent as is");
        assertEquals(museum.example("createSpecialEvent"), created);

        success("museum.update_special_event", json("{\"eventId\": \"dad4bce8-f5cb-4078-a211-995864315e39\", \"price\": 30}"));
        assertEquals("PATCH", museum.last().method());
        assertEquals(json("{\"price\": 30}"), museum.last().json(), "path parameters stay out of the body");
    }

    @Test
    void formBodies() {
        OpenApiStub twilio = STUBS.get("twilio");
        success("twilio.update_phone_number", json("{\"PhoneNumber\": \"+18001234567\", \"VoiceRegion\": \"au1\", \"FriendlyName\": \"main line\"}"));
        OpenApiStub.Recorded update = twilio.last();
        assertEquals("/v2/PhoneNumbers/+18001234567", update.path());
        assertTrue(update.header("Content-Type").startsWith("application/x-www-form-urlencoded"));
        assertEquals(Map.of("VoiceRegion", List.of("au1"), "FriendlyName", List.of("main line")), update.form());
    }

    @Test
    void rawBodiesAndNonJsonAnswers() {
        OpenApiStub petstore = STUBS.get("petstore");
        byte[] image = {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2};
        success("petstore.upload_file", json("{\"petId\": 5, \"additionalMetadata\": \"front\", \"body\": \""
                + Base64.getEncoder().encodeToString(image) + "\"}"));
        OpenApiStub.Recorded upload = petstore.last();
        assertEquals("application/octet-stream", upload.header("Content-Type"));
        assertEquals(List.of((byte) 0x89, (byte) 'P'), List.of(upload.body()[0], upload.body()[1]));
        assertEquals(image.length, upload.body().length, "the base64 field is sent as the bytes it encodes");
        assertEquals("front", upload.queryValue("additionalMetadata"));

        JsonNode qr = success("museum.get_ticket_code", json("{\"ticketId\": \"a54a57ca-36f8-421b-a6b4-2e8f26858a4c\"}"));
        assertEquals("image/png", qr.get("contentType").asText());
        assertEquals("stub image/png", new String(Base64.getDecoder().decode(qr.get("content").asText()), StandardCharsets.UTF_8));
        JsonNode deleted = success("museum.delete_special_event", json("{\"eventId\": \"dad4bce8-f5cb-4078-a211-995864315e39\"}"));
        assertEquals(0, deleted.size(), "204: an empty output");
    }

    @Test
    void oauth2ClientCredentialsTokenIsFetchedOnceAndSent() throws Exception {
        OpenApiStub paypal = STUBS.get("paypal");
        ObjectNode second = TestHost.JSON.createObjectNode().put("name", "paypal-2").put("connector", "paypal")
                .put("baseUrl", paypal.baseUrl().toString()).put("clientId", "client-2");
        second.putObject("secrets").put("clientSecret", "client-secret-2");
        host.addConnection(second);
        ExecuteOptions viaSecond = ExecuteOptions.DEFAULTS.withConnection("paypal-2");
        assertInstanceOf(ExecutionResult.Success.class, host.execute("paypal.products_list", json("{}"), viaSecond));
        assertInstanceOf(ExecutionResult.Success.class,
                host.execute("paypal.products_get", json("{\"product_id\": \"72255d4849af8ed6e0df1173\"}"), viaSecond));
        assertEquals("/v1/catalogs/products/72255d4849af8ed6e0df1173", paypal.last().path());

        assertEquals(1, paypal.tokenRequests().size(), "one token request for both calls");
        OpenApiStub.Recorded token = paypal.tokenRequests().get(0);
        assertEquals(basic("client-2", "client-secret-2"), token.header("Authorization"));
        assertEquals(List.of("client_credentials"), token.form().get("grant_type"));
        String bearer = paypal.last().header("Authorization");
        assertTrue(bearer.matches("Bearer stub-token-\\d+"), bearer);
        assertEquals(bearer, paypal.requests().get(0).header("Authorization"), "the cached token on both calls");
    }

    @Test
    void aRejectedTokenIsFetchedAgainAndTheCallResentOnce() {
        OpenApiStub paypal = STUBS.get("paypal");
        success("paypal.products_list", json("{}"));
        paypal.clear();
        paypal.failNext(new OpenApiStub.Failure(401, "{\"error\": \"invalid_token\", \"error_description\": \"Token expired\"}", Map.of()));
        ActionDescriptor create = host.action("paypal.products_create").orElseThrow();
        success(create.id(), inputFor(create));
        List<OpenApiStub.Recorded> calls = paypal.requests();
        assertEquals(2, calls.size(), "resent once, although a write: the rejected call was not applied");
        assertEquals(1, paypal.tokenRequests().size(), "a new token");
        assertFalse(calls.get(0).header("Authorization").equals(calls.get(1).header("Authorization")));
    }

    @Test
    void tooManyRequestsIsResentAfterRetryAfterEvenForAWrite() {
        OpenApiStub museum = STUBS.get("museum");
        museum.failNext(new OpenApiStub.Failure(429, "{\"message\": \"slow down\"}", Map.of("Retry-After", "1")));
        ActionDescriptor create = host.action("museum.create_special_event").orElseThrow();
        ExecutionResult result = execute(create.id(), create.examples().get(0).input());
        assertInstanceOf(ExecutionResult.Success.class, result, () -> String.valueOf(result));
        List<OpenApiStub.Recorded> requests = museum.requests();
        assertEquals(2, requests.size());
        Duration waited = Duration.ofNanos(requests.get(1).nanoTime() - requests.get(0).nanoTime());
        assertTrue(waited.compareTo(Duration.ofMillis(900)) >= 0, "resent after Retry-After: 1, waited " + waited);
    }

    @Test
    void serverErrorsResendAReadButNeverAWrite() {
        OpenApiStub museum = STUBS.get("museum");
        museum.failNext(new OpenApiStub.Failure(500, "{\"message\": \"boom\"}", Map.of()));
        success("museum.get_special_event", json("{\"eventId\": \"dad4bce8-f5cb-4078-a211-995864315e39\"}"));
        assertEquals(2, museum.requests().size(), "the read was resent");

        museum.clear();
        museum.failNext(new OpenApiStub.Failure(500, "{\"message\": \"boom\"}", Map.of()));
        ActionDescriptor create = host.action("museum.create_special_event").orElseThrow();
        ExecutionResult result = execute(create.id(), create.examples().get(0).input());
        ActionError error = ((ExecutionResult.Failure) result).error();
        assertEquals(1, museum.requests().size(), "a write is not resent");
        assertEquals(500, error.upstream().status());
        assertEquals("boom", error.upstream().message());
    }

    @Test
    void clientErrorsCarryTheBodysMessage() {
        OpenApiStub petstore = STUBS.get("petstore");
        petstore.failNext(new OpenApiStub.Failure(404, "{\"code\": 404, \"message\": \"Pet not found\"}", Map.of()));
        ActionError error = ((ExecutionResult.Failure) execute("petstore.get_pet_by_id", json("{\"petId\": 999}"))).error();
        assertEquals(ErrorCode.UPSTREAM_ERROR, error.code());
        assertEquals(404, error.upstream().status());
        assertEquals("Pet not found", error.upstream().message());
        assertFalse(error.retryable());
        assertEquals(1, petstore.requests().size());
        assertFalse(ErrorJson.of(error).toString().contains(API_KEY), "the key never appears in an error");
    }

    @Test
    void badInputIsRefusedBeforeAnythingIsSent() {
        ExecutionResult result = execute("petstore.get_pet_by_id", json("{\"petId\": \"ten\", \"petID\": 1}"));
        ActionError error = ((ExecutionResult.Failure) result).error();
        assertEquals(ErrorCode.INVALID_INPUT, error.code());
        List<String> pointers = new ArrayList<>();
        error.fieldErrors().forEach(f -> pointers.add(f.pointer()));
        assertTrue(pointers.contains("/petId"), pointers.toString());
        assertTrue(STUBS.get("petstore").requests().isEmpty());
    }

    @Test
    void actionsAppearInTheHttpApiAndItsOpenApiExport() throws Exception {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (ApiServer server = ApiServer.start(host, prometheus, ApiServer.Settings.local())) {
            String base = "http://127.0.0.1:" + server.port();
            HttpClient http = HttpClient.newHttpClient();
            JsonNode actions = json(http.send(HttpRequest.newBuilder(URI.create(base + "/api/actions?q=pet")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            List<String> ids = new ArrayList<>();
            actions.forEach(a -> ids.add(a.path("id").asText()));
            assertTrue(ids.contains("petstore.get_pet_by_id"), ids.toString());
            JsonNode described = json(http.send(HttpRequest.newBuilder(URI.create(base + "/api/actions/petstore.add_pet")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertEquals("object", described.at("/input/type").asText(), described.toString());
            JsonNode connectors = json(http.send(HttpRequest.newBuilder(URI.create(base + "/api/connectors")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertTrue(connectors.toString().contains("\"petstore\""));
            JsonNode openApi = json(http.send(HttpRequest.newBuilder(URI.create(base + "/openapi.json")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertTrue(openApi.path("paths").has("/api/actions/twilio.update_phone_number/execute"));
            HttpResponse<String> executed = http.send(HttpRequest.newBuilder(
                            URI.create(base + "/api/actions/petstore.get_pet_by_id/execute?connection=petstore"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"petId\": 10}")).header("Content-Type", "application/json").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, executed.statusCode(), executed.body());
            assertEquals(STUBS.get("petstore").example("getPetById"), json(executed.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theCliTakesADocumentWithOpenapi() throws Exception {
        Path launcher = Path.of(System.getProperty("runtime.dist", "target/dist"), "bin", "runtime-host");
        Process process = new ProcessBuilder(launcher.toString(), "--plugins", pluginsDir().toString(),
                "--openapi", documents.resolve("oai-non-oauth-scopes.openapi.json").toString(), "actions", "--json").start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), err);
        List<String> ids = new ArrayList<>();
        json(out).forEach(a -> ids.add(a.path("id").asText()));
        assertTrue(ids.contains("oai-non-oauth-scopes.get_users"), ids.toString());
        assertFalse(ids.contains("petstore.get_pet_by_id"), "only the document given");
    }
}
