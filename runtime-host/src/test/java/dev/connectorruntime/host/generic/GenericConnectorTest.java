package dev.connectorruntime.host.generic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connectorruntime.host.ConnectorHost;
import dev.connectorruntime.host.ExecuteOptions;
import dev.connectorruntime.host.format.ErrorJson;
import dev.connectorruntime.spi.ActionException;
import dev.connectorruntime.spi.ErrorCode;
import dev.connectorruntime.spi.ExecutionResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A connector of another shape than WeCom, with no code of its own for authentication: each
 * credential kind says how it authenticates (bearer, API key in header / query / cookie, basic, OAuth
 * 2.0 client credentials, none) and the host puts it on the wire. The stub API on loopback reports
 * what it received.
 */
class GenericConnectorTest {
    private static final String CREDENTIALS = """
            [{"kind": "bearer", "authentication": {"type": "bearer", "secret": "token"}},
             {"kind": "header", "authentication": {"type": "apiKey", "in": "HEADER", "name": "X-API-Key", "secret": "apiKey"}},
             {"kind": "query", "authentication": {"type": "apiKey", "in": "QUERY", "name": "api_key", "secret": "apiKey"}},
             {"kind": "cookie", "authentication": {"type": "apiKey", "in": "COOKIE", "name": "session", "secret": "apiKey"}},
             {"kind": "basic", "authentication": {"type": "basic", "secret": "password"}},
             {"kind": "oauth", "authentication": {"type": "oauth2ClientCredentials", "tokenUrl": "/oauth/token",
                                                  "scopes": ["pets:read", "pets:write"], "secret": "clientSecret"}}]
            """;

    private StubApi api;
    private Path emptyPlugins;
    private ConnectorHost host;
    private MutableClock clock;

    @BeforeEach
    void setUp() throws IOException {
        api = new StubApi();
        emptyPlugins = Files.createTempDirectory("no-plugins");
        clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    }

    @AfterEach
    void tearDown() {
        if (host != null) {
            host.close();
        }
        api.close();
    }

    /** One GET action per credential kind: {@code pets_<kind>} reads {@code /pets/{petId}}. */
    private static StubConnector pets() {
        List<String> descriptors = new ArrayList<>();
        for (String kind : List.of("bearer", "header", "query", "cookie", "basic", "oauth", "none")) {
            descriptors.add(descriptor("pets_" + kind, kind, "GET", "/pets/{petId}", "", """
                    {"type": "object", "properties": {"petId": {"type": "string"}, "limit": {"type": "integer"},
                     "X-Trace-Id": {"type": "string"}}, "required": ["petId"], "additionalProperties": false}"""));
        }
        descriptors.add(descriptor("pets_adopt", "none", "POST", "/pets/{petId}/adopt", ", \"body\": \"form\", \"headers\": [\"X-Trace-Id\"]", """
                {"type": "object", "properties": {"petId": {"type": "string"}, "owner": {"type": "string"}, "tags": {"type": "array"},
                 "X-Trace-Id": {"type": "string"}}, "additionalProperties": false}"""));
        descriptors.add(descriptor("pets_missing", "none", "GET", "/status/404", "", "{\"type\": \"object\"}"));
        return new StubConnector("pets", CREDENTIALS, descriptors.toArray(String[]::new));
    }

    private static String descriptor(String id, String credential, String method, String path, String binding, String input) {
        return """
                {"id": "%s", "title": "%s", "category": "main", "credential": "%s", "safeToRepeat": %s,
                 "http": {"method": "%s", "path": "%s"%s}, "input": %s, "output": {"type": "object"},
                 "docUrl": "https://pets.example/docs/%s"}
                """.formatted(id, id, credential, method.equals("GET"), method, path, binding, input, id);
    }

    private ConnectorHost start(StubConnector... connectors) {
        ConnectorHost.Builder builder = ConnectorHost.builder().pluginsDir(emptyPlugins).clock(clock);
        for (StubConnector connector : connectors) {
            builder.connector(connector);
        }
        host = builder.build();
        return host;
    }

    private ObjectNode connection(String name, String connector) {
        ObjectNode connection = (ObjectNode) StubConnector.read("""
                {"baseUrl": "%s", "username": "aladdin", "clientId": "client-1",
                 "secrets": {"token": "tok-1", "apiKey": "key-1", "password": "opensesame", "clientSecret": "cs-1"}}
                """.formatted(api.baseUrl()));
        connection.put("name", name);
        if (connector != null) {
            connection.put("connector", connector);
        }
        return connection;
    }

    private JsonNode success(String action, String input) {
        ExecutionResult result = host.execute(action, StubConnector.read(input));
        if (result instanceof ExecutionResult.Failure failure) {
            throw new AssertionError(action + " failed: " + ErrorJson.of(failure.error()));
        }
        return ((ExecutionResult.Success) result).output();
    }

    @Test
    void eachStandardSchemeIsPutWhereItSays() throws ActionException {
        start(pets()).addConnection(connection("p", null));
        assertEquals("Bearer tok-1", success("pets_bearer", "{\"petId\": \"7\"}").path("authorization").asText());
        assertEquals("key-1", success("pets_header", "{\"petId\": \"7\"}").path("apiKey").asText());
        assertEquals("limit=5&api_key=key-1", success("pets_query", "{\"petId\": \"7\", \"limit\": 5}").path("query").asText());
        assertEquals("session=key-1", success("pets_cookie", "{\"petId\": \"7\"}").path("cookie").asText());
        assertEquals("Basic YWxhZGRpbjpvcGVuc2VzYW1l", success("pets_basic", "{\"petId\": \"7\"}").path("authorization").asText());
        JsonNode none = success("pets_none", "{\"petId\": \"7\"}");
        assertTrue(none.path("authorization").isNull() && none.path("apiKey").isNull() && none.path("cookie").isNull(), none.toString());
        assertEquals("/pets/7", none.path("path").asText());
    }

    @Test
    void pathHeaderAndFormFieldsAreBoundAsTheDescriptorSays() throws ActionException {
        start(pets()).addConnection(connection("p", null));
        JsonNode seen = success("pets_adopt", "{\"petId\": \"a b/7\", \"owner\": \"Zoë\", \"tags\": [1, 2], \"X-Trace-Id\": \"tr-9\"}");
        assertEquals("POST", seen.path("method").asText());
        assertEquals("/pets/a%20b%2F7/adopt", seen.path("path").asText());
        assertEquals("tr-9", seen.path("traceId").asText());
        assertTrue(seen.path("contentType").asText().startsWith("application/x-www-form-urlencoded"), seen.toString());
        assertEquals("owner=Zo%C3%AB&tags=1&tags=2", seen.path("body").asText());
    }

    @Test
    void oauth2TokenIsFetchedOnceForConcurrentCallsWithTheClientAuthenticated() throws Exception {
        start(pets()).addConnection(connection("p", null));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<JsonNode>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(() -> success("pets_oauth", "{\"petId\": \"7\"}"));
            }
            for (Future<JsonNode> call : pool.invokeAll(calls)) {
                assertEquals("Bearer t1", call.get().path("authorization").asText());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, api.tokenRequests.get());
        assertEquals("grant_type=client_credentials&scope=pets%3Aread+pets%3Awrite", api.lastTokenRequestBody);
        assertEquals("Basic Y2xpZW50LTE6Y3MtMQ==", api.lastTokenRequestAuthorization);
    }

    @Test
    void oauth2TokenIsRefreshedAheadOfExpiry() throws ActionException {
        start(pets()).addConnection(connection("p", null));
        assertEquals("Bearer t1", success("pets_oauth", "{\"petId\": \"7\"}").path("authorization").asText());
        clock.advance(Duration.ofMinutes(50));
        assertEquals("Bearer t1", success("pets_oauth", "{\"petId\": \"7\"}").path("authorization").asText());
        clock.advance(Duration.ofMinutes(6)); // 56 min of 60: inside the 5 minutes before expiry
        assertEquals("Bearer t2", success("pets_oauth", "{\"petId\": \"7\"}").path("authorization").asText());
        assertEquals(2, api.tokenRequests.get());
    }

    @Test
    void aRejectedOauth2TokenIsDroppedAndFetchedAgainOnce() throws ActionException {
        start(pets()).addConnection(connection("p", null));
        assertEquals("Bearer t1", success("pets_oauth", "{\"petId\": \"7\"}").path("authorization").asText());
        api.revoked.add("t1");
        assertEquals("Bearer t2", success("pets_oauth", "{\"petId\": \"7\"}").path("authorization").asText());
        assertEquals(2, api.tokenRequests.get());
    }

    @Test
    void aMissingSecretIsNamedAndNothingIsSent() throws ActionException {
        ObjectNode noKey = connection("p", null);
        ((ObjectNode) noKey.get("secrets")).remove("apiKey");
        start(pets()).addConnection(noKey);
        ExecutionResult.Failure failure = assertInstanceOf(ExecutionResult.Failure.class,
                host.execute("pets_header", StubConnector.read("{\"petId\": \"7\"}")));
        assertEquals(ErrorCode.MISSING_CREDENTIAL, failure.error().code());
        assertTrue(failure.error().message().contains("secrets.apiKey"), failure.error().message());
        assertEquals(0, failure.attempts());
    }

    @Test
    void anUpstreamErrorCarriesCodeMessageAndStatus() throws ActionException {
        start(pets()).addConnection(connection("p", null));
        ExecutionResult.Failure failure = assertInstanceOf(ExecutionResult.Failure.class,
                host.execute("pets_missing", StubConnector.read("{}")));
        JsonNode json = ErrorJson.of(failure.error());
        assertEquals("E404", json.at("/upstream/code").asText());
        assertEquals("failed with 404", json.at("/upstream/message").asText());
        assertEquals(404, json.at("/upstream/status").asInt());
        assertFalse(json.has("errcode"), json.toString());
    }

    @Test
    void withOneConnectorLoadedAConnectionBelongsToIt() throws ActionException {
        start(pets()).addConnection(connection("p", null));
        assertEquals("pets", host.connectionConnector("p").id());
    }

    @Test
    void withTwoConnectorsAConnectionMustNameItsConnector() {
        start(pets(), new StubConnector("shop", "[{\"kind\": \"bearer\", \"authentication\": {\"type\": \"bearer\", \"secret\": \"token\"}}]"));
        ActionException e = assertThrows(ActionException.class, () -> host.addConnection(connection("p", null)));
        assertEquals(ErrorCode.INVALID_CONNECTION, e.error().code());
        assertTrue(e.error().message().contains("'connector' must be one of [pets, shop]"), e.error().message());
        ActionException unknown = assertThrows(ActionException.class, () -> host.addConnection(connection("p", "petz")));
        assertTrue(unknown.error().message().contains("names connector 'petz', which is not loaded"), unknown.error().message());
    }

    @Test
    void aConnectionIsCheckedAgainstItsOwnConnectorsSchema() {
        start(pets(), new StubConnector("shop", "[]"));
        ObjectNode typo = connection("p", "pets").put("usrname", "x");
        ActionException e = assertThrows(ActionException.class, () -> host.addConnection(typo));
        assertEquals(ErrorCode.INVALID_CONNECTION, e.error().code());
        assertTrue(e.error().message().contains("usrname"), e.error().message());
    }

    @Test
    void testConnectionAsksTheConnectionsConnector() throws ActionException {
        start(pets(), new StubConnector("shop", "[]"));
        host.addConnection(connection("p", "pets"));
        host.addConnection(connection("s", "shop"));
        assertEquals("pets", host.testConnection("p").get(0).kind());
        assertEquals("shop", host.testConnection("s").get(0).kind());
    }

    @Test
    void executeRefusesAConnectionOfAnotherConnector() throws ActionException {
        start(pets(), new StubConnector("shop", "[]"));
        host.addConnection(connection("s", "shop"));
        ExecutionResult.Failure failure = assertInstanceOf(ExecutionResult.Failure.class,
                host.execute("pets_none", StubConnector.read("{\"petId\": \"7\"}"), ExecuteOptions.DEFAULTS.withConnection("s")));
        assertEquals(ErrorCode.INVALID_CONNECTION, failure.error().code());
        assertEquals("Connection 's' belongs to connector 'shop', but action 'pets_none' is of connector 'pets'; "
                + "pick a connection of 'pets'", failure.error().message());
        assertEquals(0, failure.attempts());
        assertNull(failure.error().upstream());
    }

    /** A clock the test moves forward. */
    private static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) {
            now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
