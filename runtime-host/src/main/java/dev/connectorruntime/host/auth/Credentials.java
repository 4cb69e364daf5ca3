package dev.connectorruntime.host.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.connectorruntime.spi.ActionDescriptor;
import dev.connectorruntime.spi.ActionError;
import dev.connectorruntime.spi.ActionException;
import dev.connectorruntime.spi.Authentication;
import dev.connectorruntime.spi.Connection;
import dev.connectorruntime.spi.Connector;
import dev.connectorruntime.spi.ConnectorInfo.CredentialKind;
import dev.connectorruntime.spi.Credential;
import dev.connectorruntime.spi.ErrorCode;
import dev.connectorruntime.spi.Secret;
import dev.connectorruntime.spi.TokenStore;
import dev.connectorruntime.spi.Transport;
import dev.connectorruntime.spi.UpstreamError;
import dev.connectorruntime.spi.UpstreamRequest;
import dev.connectorruntime.spi.UpstreamResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The credential of one upstream request. The credential kind the action names says how it
 * authenticates ({@link Authentication}): the standard schemes are applied here (bearer, API key,
 * basic, OAuth 2.0 client credentials with its token in the {@link TokenStore}), anything else by the
 * connector's {@link Connector#authenticate} hook.
 */
public final class Credentials {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Transport transport;
    private final TokenStore tokens;
    private final Clock clock;

    public Credentials(Transport transport, TokenStore tokens, Clock clock) {
        this.transport = transport;
        this.tokens = tokens;
        this.clock = clock;
    }

    /** A credential kind and how it authenticates. */
    private record Scheme(String kind, Authentication authentication) {}

    public Credential authenticate(Connector connector, ActionDescriptor action, Connection connection) throws ActionException {
        Scheme scheme = scheme(connector, action, connection);
        if (scheme == null) {
            return connector.authenticate(action, connection);
        }
        Authentication auth = scheme.authentication();
        return switch (auth.type()) {
            case NONE, CONNECTOR -> Credential.none();
            case BEARER -> Credential.bearer(secret(action, connection, scheme), null);
            case API_KEY -> Credential.of(auth.in(), auth.name(), secret(action, connection, scheme));
            case BASIC -> Credential.basic(setting(action, connection, auth.username() == null ? "username" : auth.username()),
                    secret(action, connection, scheme));
            case OAUTH2_CLIENT_CREDENTIALS -> oauth2(action, connection, scheme);
        };
    }

    /** Forgets a credential the upstream rejected: a cached token of a standard scheme here, else through the connector. */
    public void invalidate(Connector connector, ActionDescriptor action, Connection connection, Credential credential) {
        Scheme scheme;
        try {
            scheme = scheme(connector, action, connection);
        } catch (ActionException e) {
            return;
        }
        if (scheme == null) {
            connector.invalidate(credential);
        } else if (credential.cacheKey() != null && credential.token() != null) {
            tokens.invalidate(credential.cacheKey(), credential.token());
        }
    }

    /** The standard scheme the action uses on this connection, or null when the connector's hook decides. */
    private static Scheme scheme(Connector connector, ActionDescriptor action, Connection connection) throws ActionException {
        String wanted = action.credential();
        if (ActionDescriptor.NO_CREDENTIAL.equals(wanted)) {
            return new Scheme(wanted, new Authentication(Authentication.Type.NONE, null, null, null, null, null, null, null, null));
        }
        List<CredentialKind> kinds = connector.info().credentials();
        if (ActionDescriptor.ANY_CREDENTIAL.equals(wanted)) {
            for (CredentialKind kind : kinds) {
                Authentication auth = kind.authentication();
                if (auth.type() == Authentication.Type.CONNECTOR) {
                    return null;
                }
                if (auth.type() == Authentication.Type.NONE || connection.secret(auth.secretFor(kind.kind())).isPresent()) {
                    return new Scheme(kind.kind(), auth);
                }
            }
            throw missing(action, connection, "any of its credentials " + kinds.stream().map(k -> "secrets." + k.authentication().secretFor(k.kind())).toList());
        }
        return kinds.stream().filter(k -> k.kind().equals(wanted)).findFirst()
                .filter(k -> k.authentication().type() != Authentication.Type.CONNECTOR)
                .map(k -> new Scheme(k.kind(), k.authentication())).orElse(null);
    }

    private static Secret secret(ActionDescriptor action, Connection connection, Scheme scheme) throws ActionException {
        String name = scheme.authentication().secretFor(scheme.kind());
        return connection.secret(name).orElseThrow(() -> missing(action, connection, "secret secrets." + name));
    }

    private static String setting(ActionDescriptor action, Connection connection, String name) throws ActionException {
        return connection.property(name).map(JsonNode::asText).filter(s -> !s.isBlank())
                .orElseThrow(() -> missing(action, connection, "setting '" + name + "'"));
    }

    private static ActionException missing(ActionDescriptor action, Connection connection, String what) {
        return new ActionException(ActionError.of(ErrorCode.MISSING_CREDENTIAL,
                "Action " + action.id() + " needs the " + what + " of connection '" + connection.name() + "', and none is configured",
                null, "Add it to the connection. 在连接中配置它。", false));
    }

    private Credential oauth2(ActionDescriptor action, Connection connection, Scheme scheme) throws ActionException {
        Authentication auth = scheme.authentication();
        String clientId = setting(action, connection, auth.clientId() == null ? "clientId" : auth.clientId());
        Secret clientSecret = secret(action, connection, scheme);
        URI tokenUrl = tokenUrl(connection, auth.tokenUrl());
        String key = cacheKey(tokenUrl, clientId, clientSecret, auth.scopes());
        TokenStore.Token token = tokens.get(key, () -> fetchToken(connection, tokenUrl, clientId, clientSecret, auth));
        return Credential.bearer(token.value(), key);
    }

    private static URI tokenUrl(Connection connection, String tokenUrl) {
        URI given = URI.create(tokenUrl);
        if (given.isAbsolute()) {
            return given;
        }
        String base = connection.baseUrl().toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + (tokenUrl.startsWith("/") ? "" : "/") + tokenUrl);
    }

    /** A hash of what the token is issued for: the key reveals neither the client secret nor the token. */
    private static String cacheKey(URI tokenUrl, String clientId, Secret secret, List<String> scopes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((tokenUrl + "\n" + clientId + "\n" + secret.reveal()
                    + "\n" + String.join(" ", scopes)).getBytes(StandardCharsets.UTF_8));
            return "oauth2:token:" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** RFC 6749 section 4.4: POST grant_type=client_credentials, the client authenticated by Basic or in the body. */
    private TokenStore.Token fetchToken(Connection connection, URI tokenUrl, String clientId, Secret clientSecret, Authentication auth)
            throws ActionException {
        StringBuilder form = new StringBuilder("grant_type=client_credentials");
        if (!auth.scopes().isEmpty()) {
            form.append("&scope=").append(encode(String.join(" ", auth.scopes())));
        }
        List<Map.Entry<String, String>> headers = List.of(Map.entry("Accept", "application/json"));
        if (auth.clientAuth() == Authentication.ClientAuth.BODY) {
            form.append("&client_id=").append(encode(clientId)).append("&client_secret=").append(encode(clientSecret.reveal()));
        } else {
            String basic = Credential.basic(encode(clientId), Secret.of(encode(clientSecret.reveal()))).parts().get(0).value().reveal();
            headers = List.of(Map.entry("Accept", "application/json"), Map.entry("Authorization", basic));
        }
        URI base = URI.create(tokenUrl.getScheme() + "://" + tokenUrl.getRawAuthority());
        String path = tokenUrl.getRawPath() + (tokenUrl.getRawQuery() == null ? "" : "?" + tokenUrl.getRawQuery());
        UpstreamRequest request = new UpstreamRequest("POST", base, path, List.of(), headers,
                form.toString().getBytes(StandardCharsets.UTF_8), "application/x-www-form-urlencoded", connection.http());
        UpstreamResponse response;
        try {
            response = transport.send(request);
        } catch (Transport.TransportException e) {
            throw new ActionException(ActionError.of(ErrorCode.UPSTREAM_UNAVAILABLE, "OAuth 2.0 token request to " + base + " failed: "
                    + e.getMessage(), null, "Check the network and the token URL; retry later.", true));
        }
        JsonNode body;
        try {
            body = response.body() == null || response.body().length == 0 ? null : JSON.readTree(response.body());
        } catch (IOException e) {
            body = null;
        }
        if (response.status() == 200 && body != null && body.hasNonNull("access_token")) {
            long ttl = body.path("expires_in").asLong(3600);
            return new TokenStore.Token(Secret.of(body.get("access_token").asText()), clock.instant().plusSeconds(ttl));
        }
        boolean busy = response.status() >= 500 || response.status() == 429;
        String code = body == null ? null : body.path("error").asText(null);
        String message = body == null ? null : body.path("error_description").asText(code);
        throw new ActionException(ActionError.of(busy ? ErrorCode.UPSTREAM_UNAVAILABLE : ErrorCode.AUTH_FAILED,
                "The token endpoint " + base + " refused client '" + clientId + "' of connection '" + connection.name()
                        + "': HTTP " + response.status() + (code == null ? "" : " " + code),
                new UpstreamError(code, message, response.status(), null),
                busy ? "The token endpoint is busy; retry later." : "Check the connection's client id and secret.", busy));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
