package dev.connectorruntime.spi;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * What is attached to one upstream request to authenticate it: zero or more parts, each a query
 * parameter, a header or a cookie. The host applies whatever the parts say; values are
 * {@link Secret}s, masked when printed.
 *
 * @param parts what to attach, in order
 * @param cacheKey the key a cached token is kept under (to invalidate it), or null; reveals no secret
 * @param token the cached token the parts carry (what {@link TokenStore#invalidate} compares), or null
 */
public record Credential(List<Part> parts, String cacheKey, Secret token) {

    /** Where a part goes. */
    public enum Location { QUERY, HEADER, COOKIE }

    /** One query parameter, header or cookie. */
    public record Part(Location in, String name, Secret value) {
        public Part {
            Objects.requireNonNull(in, "in");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    public Credential {
        parts = parts == null ? List.of() : List.copyOf(parts);
    }

    /** Nothing attached. */
    public static Credential none() {
        return new Credential(List.of(), null, null);
    }

    /** A cached token in a query parameter (WeCom: {@code access_token}). */
    public static Credential query(String param, Secret token, String cacheKey) {
        return new Credential(List.of(new Part(Location.QUERY, param, token)), cacheKey, token);
    }

    /** A value in one header, a query parameter or a cookie (an API key). */
    public static Credential of(Location in, String name, Secret value) {
        return new Credential(List.of(new Part(in, name, value)), null, null);
    }

    /** {@code Authorization: Bearer <token>}; {@code cacheKey} is null for a token that is not cached. */
    public static Credential bearer(Secret token, String cacheKey) {
        return new Credential(List.of(new Part(Location.HEADER, "Authorization", Secret.of("Bearer " + token.reveal()))),
                cacheKey, cacheKey == null ? null : token);
    }

    /** {@code Authorization: Basic base64(user:password)}. */
    public static Credential basic(String user, Secret password) {
        String pair = user + ":" + password.reveal();
        return new Credential(List.of(new Part(Location.HEADER, "Authorization",
                Secret.of("Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8))))), null, null);
    }
}
