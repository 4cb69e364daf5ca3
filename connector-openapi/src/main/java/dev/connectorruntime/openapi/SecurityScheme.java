package dev.connectorruntime.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How a connector authenticates: the document's {@code securitySchemes} entry its connector file
 * chose, as read (the SPI's {@code Authentication} is made from it).
 *
 * <p>An API key (header, query or cookie), a bearer token and basic credentials come from the
 * connection. OAuth2 with a client-credentials flow fetches and caches tokens from the flow's
 * {@code tokenUrl}; any other OAuth2 flow, and OpenID Connect, takes a token issued beforehand, sent
 * as a bearer token.
 *
 * @param scheme the scheme's name in the document, or null for {@link Kind#NONE}
 * @param parameter for {@link Kind#API_KEY}: the header, query parameter or cookie name
 * @param in for {@link Kind#API_KEY}: {@code header}, {@code query} or {@code cookie}
 * @param tokenUrl for {@link Kind#OAUTH2_CLIENT_CREDENTIALS}: absolute, or relative to the base URL
 */
record SecurityScheme(Kind kind, String scheme, String parameter, String in, String tokenUrl, List<String> scopes,
                      String description) {

    enum Kind { NONE, API_KEY, BEARER, BASIC, OAUTH2_CLIENT_CREDENTIALS }

    static final SecurityScheme NONE = new SecurityScheme(Kind.NONE, null, null, null, null, List.of(), null);

    SecurityScheme {
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
    }

    /** The scheme named {@code name} in {@code document}; null name means none. */
    static SecurityScheme of(OpenApiDocument document, String name) {
        if (name == null) {
            return NONE;
        }
        JsonNode scheme = document.resolve(document.root().path("components").path("securitySchemes").path(name));
        if (scheme.isMissingNode()) {
            throw new IllegalArgumentException(document.origin() + ": no security scheme '" + name + "'; the document has "
                    + names(document));
        }
        String description = scheme.path("description").asText(null);
        String type = scheme.path("type").asText();
        switch (type) {
            case "apiKey" -> {
                String in = scheme.path("in").asText();
                if (!List.of("header", "query", "cookie").contains(in)) {
                    throw new IllegalArgumentException(document.origin() + ": security scheme '" + name + "': unknown 'in': " + in);
                }
                return new SecurityScheme(Kind.API_KEY, name, scheme.path("name").asText(), in, null, List.of(), description);
            }
            case "http" -> {
                String httpScheme = scheme.path("scheme").asText().toLowerCase(Locale.ROOT);
                if (httpScheme.equals("basic")) {
                    return new SecurityScheme(Kind.BASIC, name, null, null, null, List.of(), description);
                }
                if (httpScheme.equals("bearer")) {
                    return new SecurityScheme(Kind.BEARER, name, null, null, null, List.of(), description);
                }
                throw new IllegalArgumentException(document.origin() + ": security scheme '" + name
                        + "': HTTP scheme '" + httpScheme + "' is not supported (basic and bearer are)");
            }
            case "oauth2" -> {
                JsonNode flow = scheme.path("flows").path("clientCredentials");
                if (flow.isObject()) {
                    List<String> scopes = new ArrayList<>();
                    flow.path("scopes").fieldNames().forEachRemaining(scopes::add);
                    return new SecurityScheme(Kind.OAUTH2_CLIENT_CREDENTIALS, name, null, null,
                            flow.path("tokenUrl").asText(), scopes, description);
                }
                return new SecurityScheme(Kind.BEARER, name, null, null, null, List.of(), description);
            }
            case "openIdConnect" -> {
                return new SecurityScheme(Kind.BEARER, name, null, null, null, List.of(), description);
            }
            default -> throw new IllegalArgumentException(document.origin() + ": security scheme '" + name
                    + "' of type '" + type + "' is not supported");
        }
    }

    /** The scheme a document asks for first at its top level, or null when it asks for none. */
    static String defaultScheme(OpenApiDocument document) {
        for (JsonNode requirement : document.root().path("security")) {
            if (requirement.fieldNames().hasNext()) {
                return requirement.fieldNames().next();
            }
        }
        for (JsonNode pathItem : document.root().path("paths")) {
            for (String method : OperationTranslator.METHODS) {
                for (JsonNode requirement : pathItem.path(method).path("security")) {
                    if (requirement.fieldNames().hasNext()) {
                        return requirement.fieldNames().next();
                    }
                }
            }
        }
        return null;
    }

    /** The token URL as an absolute URI: a relative one is resolved against the base URL (RFC 3986). */
    URI tokenUri(URI baseUrl) {
        return baseUrl.resolve(tokenUrl);
    }

    private static List<String> names(OpenApiDocument document) {
        List<String> names = new ArrayList<>();
        document.root().path("components").path("securitySchemes").fieldNames().forEachRemaining(names::add);
        return names;
    }
}
