package dev.connectorruntime.spi;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;

/**
 * How a credential kind authenticates, as data. The host applies the standard schemes itself; for
 * {@link Type#CONNECTOR} (the default) it asks the connector's {@link Connector#authenticate} hook,
 * as for WeCom's token in the query string.
 *
 * <p>Values come from the connection: {@code secret} names the entry of its {@code secrets} (default:
 * the credential kind itself), {@code username} and {@code clientId} name entries of its settings.
 *
 * @param in for {@link Type#API_KEY}: where the key goes
 * @param name for {@link Type#API_KEY}: the header, query parameter or cookie name
 * @param secret the connection secret holding the token, key, password or client secret
 * @param username for {@link Type#BASIC}: the connection setting holding the user name (default {@code username})
 * @param clientId for {@link Type#OAUTH2_CLIENT_CREDENTIALS}: the connection setting holding the client id
 *     (default {@code clientId})
 * @param tokenUrl for {@link Type#OAUTH2_CLIENT_CREDENTIALS}: absolute, or relative to the connection's base URL
 * @param scopes for {@link Type#OAUTH2_CLIENT_CREDENTIALS}: requested scopes, may be empty
 * @param clientAuth for {@link Type#OAUTH2_CLIENT_CREDENTIALS}: how the client authenticates at the token
 *     endpoint (default {@link ClientAuth#BASIC})
 */
public record Authentication(
        @JsonProperty(required = true) Type type,
        Credential.Location in,
        String name,
        String secret,
        String username,
        String clientId,
        String tokenUrl,
        List<String> scopes,
        ClientAuth clientAuth) {

    /** The schemes. */
    public enum Type {
        /** The connector's {@link Connector#authenticate} hook decides. */
        @JsonProperty("connector") CONNECTOR,
        /** Nothing is attached. */
        @JsonProperty("none") NONE,
        /** {@code Authorization: Bearer <secret>}. */
        @JsonProperty("bearer") BEARER,
        /** The secret in a header, query parameter or cookie. */
        @JsonProperty("apiKey") API_KEY,
        /** {@code Authorization: Basic}, user name from the settings, password from the secrets. */
        @JsonProperty("basic") BASIC,
        /**
         * OAuth 2.0 client credentials grant: a token from {@code tokenUrl}, cached in the host's token
         * store (one request for many callers, refreshed ahead of expiry, shared through Redis when
         * configured), sent as a bearer token.
         */
        @JsonProperty("oauth2ClientCredentials") OAUTH2_CLIENT_CREDENTIALS
    }

    /** How an OAuth 2.0 client sends its id and secret to the token endpoint. */
    public enum ClientAuth {
        /** HTTP Basic (RFC 6749 section 2.3.1). */
        @JsonProperty("basic") BASIC,
        /** {@code client_id} and {@code client_secret} in the form body. */
        @JsonProperty("body") BODY
    }

    /** The connector's hook decides. */
    public static final Authentication CONNECTOR = new Authentication(Type.CONNECTOR, null, null, null, null, null, null, null, null);

    public Authentication {
        Objects.requireNonNull(type, "authentication.type is missing");
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
        clientAuth = clientAuth == null ? ClientAuth.BASIC : clientAuth;
        if (type == Type.API_KEY && (in == null || name == null)) {
            throw new IllegalArgumentException("authentication 'apiKey' needs 'in' (header, query or cookie) and 'name'");
        }
        if (type == Type.OAUTH2_CLIENT_CREDENTIALS && tokenUrl == null) {
            throw new IllegalArgumentException("authentication 'oauth2ClientCredentials' needs 'tokenUrl'");
        }
    }

    /** The connection secret this scheme reads for credential kind {@code kind}. */
    public String secretFor(String kind) {
        return secret != null ? secret : kind;
    }
}
