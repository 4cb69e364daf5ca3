package dev.connectorruntime.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A credential goes where it says: query parameter, header or cookie; a request never prints it. */
class CredentialPlacementTest {
    private static final UpstreamRequest REQUEST = new UpstreamRequest("GET", URI.create("http://127.0.0.1:1"), "/pets",
            List.of(Map.entry("limit", "10")), null, null, null);

    @Test
    void queryTokenIsAppendedAfterTheInputsParameters() {
        UpstreamRequest sent = REQUEST.with(Credential.query("access_token", Secret.of("tok"), "k"));
        assertEquals(List.of(Map.entry("limit", "10"), Map.entry("access_token", "tok")), sent.query());
        assertEquals(List.of(), sent.headers());
    }

    @Test
    void bearerGoesToTheAuthorizationHeader() {
        UpstreamRequest sent = REQUEST.with(Credential.bearer(Secret.of("tok"), null));
        assertEquals(List.of(Map.entry("Authorization", "Bearer tok")), sent.headers());
        assertEquals(REQUEST.query(), sent.query());
    }

    @Test
    void basicEncodesUserAndPassword() {
        UpstreamRequest sent = REQUEST.with(Credential.basic("aladdin", Secret.of("opensesame")));
        assertEquals(List.of(Map.entry("Authorization", "Basic YWxhZGRpbjpvcGVuc2VzYW1l")), sent.headers());
    }

    @Test
    void apiKeyGoesToHeaderQueryOrCookie() {
        assertEquals(List.of(Map.entry("X-API-Key", "k1")),
                REQUEST.with(Credential.of(Credential.Location.HEADER, "X-API-Key", Secret.of("k1"))).headers());
        assertEquals(Map.entry("api_key", "k1"),
                REQUEST.with(Credential.of(Credential.Location.QUERY, "api_key", Secret.of("k1"))).query().get(1));
        Credential twoCookies = new Credential(List.of(
                new Credential.Part(Credential.Location.COOKIE, "session", Secret.of("s1")),
                new Credential.Part(Credential.Location.COOKIE, "csrf", Secret.of("c1"))), null, null);
        assertEquals(List.of(Map.entry("Cookie", "session=s1; csrf=c1")), REQUEST.with(twoCookies).headers());
    }

    @Test
    void noCredentialLeavesTheRequestAlone() {
        assertSame(REQUEST, REQUEST.with(Credential.none()));
    }

    @Test
    void aRequestNeverPrintsItsQueryOrHeaders() {
        UpstreamRequest sent = REQUEST.with(Credential.query("access_token", Secret.of("tok-secret-value"), "k"))
                .with(Credential.bearer(Secret.of("bearer-secret-value"), null));
        assertFalse(sent.toString().contains("secret-value"), sent.toString());
    }
}
