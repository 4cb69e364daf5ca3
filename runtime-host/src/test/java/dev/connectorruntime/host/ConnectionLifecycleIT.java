package dev.connectorruntime.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connectorruntime.host.auth.InMemoryTokenStore;
import dev.connectorruntime.host.format.ErrorJson;
import dev.connectorruntime.spi.ActionException;
import dev.connectorruntime.spi.ErrorCode;
import dev.connectorruntime.spi.ExecutionResult;
import dev.connectorruntime.spi.Secret;
import dev.connectorruntime.spi.TokenStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Connections added, replaced and removed at run time through the Java API, against the sandbox: the
 * next call sees the change, a call in flight finishes on the connection it started with, and what a
 * gone connection held (tokens, tickets) is freed.
 */
class ConnectionLifecycleIT {
    /** The host's in-memory store, recording which keys it holds. */
    static final class RecordingTokenStore implements TokenStore {
        final InMemoryTokenStore delegate = new InMemoryTokenStore(Clock.systemUTC(), Duration.ofMinutes(5));
        final Set<String> held = ConcurrentHashMap.newKeySet();

        @Override
        public Token get(String key, Loader loader) throws ActionException {
            Token token = delegate.get(key, loader);
            held.add(key);
            return token;
        }

        @Override
        public void invalidate(String key, Secret stale) {
            delegate.invalidate(key, stale);
        }

        @Override
        public void remove(String key) {
            delegate.remove(key);
            held.remove(key);
        }
    }

    private final RecordingTokenStore tokens = new RecordingTokenStore();
    private TestHost test;

    @BeforeEach
    void start() {
        test = TestHost.start(ConnectorHost.builder().retryPolicy(TestHost.FAST_RETRIES).tokenStore(tokens));
    }

    @AfterEach
    void stop() {
        test.close();
    }

    private ObjectNode tenant(String name, String secretKind) {
        ObjectNode connection = test.connection().put("name", name);
        ((ObjectNode) connection.get("secrets")).retain(secretKind);
        return connection;
    }

    private ExecutionResult call(String connection) {
        return test.host.execute("tag_list", TestHost.json("{}"), ExecuteOptions.DEFAULTS.withConnection(connection));
    }

    private String lastSecretKind() {
        var requests = test.recentRequests();
        return requests.get(requests.size() - 1).get("secretKind").asText();
    }

    @Test
    void theNextCallUsesTheReplacementAndTheOldTokenIsFreed() throws Exception {
        test.host.addConnection(tenant("acme", "app"));
        assertInstanceOf(ExecutionResult.Success.class, call("acme"));
        assertEquals("app", lastSecretKind());
        Set<String> appKeys = Set.copyOf(tokens.held);

        ObjectNode rotated = tenant("acme", "contact");
        ((ObjectNode) rotated.get("secrets")).putNull("app"); // a kind left out would keep its secret
        test.host.replaceConnection(rotated);
        assertInstanceOf(ExecutionResult.Success.class, call("acme"));
        assertEquals("contact", lastSecretKind(), "the next call runs with the new secret, without a restart");
        assertTrue(appKeys.stream().noneMatch(tokens.held::contains), "the token of the replaced secret is gone");

        ObjectNode wrong = tenant("acme", "contact");
        ((ObjectNode) wrong.get("secrets")).put("contact", "a-rotated-secret-the-corp-does-not-know");
        test.host.replaceConnection(wrong);
        ExecutionResult rejected = call("acme");
        assertEquals(ErrorCode.AUTH_FAILED, ((ExecutionResult.Failure) rejected).error().code());
        assertFalse(ErrorJson.of(((ExecutionResult.Failure) rejected).error()).toString().contains("a-rotated-secret"));
    }

    @Test
    void changingOnlyTheRateLimitKeepsTheToken() throws Exception {
        test.host.addConnection(tenant("acme", "app"));
        call("acme");
        long gettoken = test.gettokenCalls();
        test.host.replaceConnection(tenant("acme", "app").put("rateLimitPerSecond", 50));
        assertInstanceOf(ExecutionResult.Success.class, call("acme"));
        assertEquals(gettoken, test.gettokenCalls(), "same corp and secret: the cached token is still good");
    }

    @Test
    void aRemovedConnectionFailsTheNextCallAndItsTokensAreFreed() throws Exception {
        int before = tokens.held.size();
        test.host.addConnection(tenant("leaving", "app"));
        call("leaving");
        assertInstanceOf(ExecutionResult.Success.class, test.host.execute("get_corp_jsapi_ticket", TestHost.json("{}"),
                ExecuteOptions.DEFAULTS.withConnection("leaving")));
        assertTrue(tokens.held.size() >= before + 2, "a token and a ticket are cached: " + tokens.held.size());

        assertTrue(test.host.removeConnection("leaving"));
        assertFalse(test.host.removeConnection("leaving"), "already gone");
        assertFalse(test.host.connectionNames().contains("leaving"));
        ExecutionResult after = call("leaving");
        assertEquals(ErrorCode.INVALID_CONNECTION, ((ExecutionResult.Failure) after).error().code());
        assertEquals(before, tokens.held.size(), "its token and ticket are freed: " + tokens.held);
    }

    @Test
    void aCallInFlightFinishesOnTheConnectionItStartedWith() throws Exception {
        test.host.addConnection(tenant("busy", "app"));
        call("busy");
        Set<String> keys = Set.copyOf(tokens.held);
        test.fault("{\"path\": \"/cgi-bin/tag/list\", \"kind\": \"latency\", \"latencyMs\": 1500, \"times\": 1}");
        long before = test.requests("/cgi-bin/tag/list");
        CompletableFuture<ExecutionResult> inFlight = CompletableFuture.supplyAsync(() -> call("busy"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (test.requests("/cgi-bin/tag/list") == before && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }

        assertTrue(test.host.removeConnection("busy"));
        assertEquals(ErrorCode.INVALID_CONNECTION, ((ExecutionResult.Failure) call("busy")).error().code());
        assertTrue(tokens.held.containsAll(keys), "a call still runs on it: its token stays until the call is done");

        assertInstanceOf(ExecutionResult.Success.class, inFlight.get(30, TimeUnit.SECONDS), "the call in flight finished");
        assertTrue(keys.stream().noneMatch(tokens.held::contains), "then the token is freed");
    }

    @Test
    void replacingAMissingConnectionFailsAndNamesOnlyIt() {
        ActionException e = assertThrows(ActionException.class, () -> test.host.replaceConnection(tenant("nobody", "app")));
        assertEquals(ErrorCode.INVALID_CONNECTION, e.error().code());
    }

    @Test
    void anUnknownConnectionErrorNamesNoOtherConnection() throws Exception {
        for (int i = 0; i < 20; i++) {
            test.host.addConnection(tenant("corp-" + i, "app"));
        }
        var error = ((ExecutionResult.Failure) call("corp-x")).error();
        assertEquals(ErrorCode.INVALID_CONNECTION, error.code());
        assertEquals("Unknown connection 'corp-x'", error.message());
    }

    @Test
    void aProxyIsAppliedPerConnectionOnTheSharedPool() throws Exception {
        // an HTTP proxy receives the absolute URL; the sandbox answers it by its path, so only a call that
        // goes through the proxy reaches a WeCom at a host name that does not resolve
        ObjectNode viaProxy = tenant("proxied", "app").put("baseUrl", "http://wecom.invalid:8080")
                .put("proxy", test.connection().get("baseUrl").asText());
        ObjectNode direct = tenant("direct", "app").put("baseUrl", "http://wecom.invalid:8080");
        test.host.addConnection(viaProxy);
        test.host.addConnection(direct);
        assertInstanceOf(ExecutionResult.Success.class, call("proxied"));
        assertEquals(ErrorCode.UPSTREAM_UNAVAILABLE, ((ExecutionResult.Failure) call("direct")).error().code());
        assertInstanceOf(ExecutionResult.Success.class, call("proxied"));
    }
}
