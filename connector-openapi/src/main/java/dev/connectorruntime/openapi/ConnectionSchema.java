package dev.connectorruntime.openapi;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The "integration settings" form of an OpenAPI connector's connection: where the API is, and the
 * credentials its security scheme needs (secrets write-only).
 */
final class ConnectionSchema {
    /** Connection fields per kind of authentication. */
    static final String API_KEY = "apiKey";
    static final String TOKEN = "token";
    static final String USERNAME = "username";
    static final String PASSWORD = "password";
    static final String CLIENT_ID = "clientId";
    static final String CLIENT_SECRET = "clientSecret";

    private ConnectionSchema() {}

    static ObjectNode of(String connectorId, String title, SecurityScheme security, String baseUrl) {
        ObjectNode schema = OpenApiDocument.JSON.createObjectNode();
        schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        schema.put("title", title + " connection");
        schema.put("description", "Where " + title + " is and the credentials it needs. Secrets are write-only.");
        schema.put("type", "object");
        schema.put("additionalProperties", false);
        ObjectNode properties = schema.putObject("properties");
        string(properties, "name", "Connection name", "The name calls use to pick this connection.")
                .put("minLength", 1).put("maxLength", 64).put("pattern", "^[A-Za-z0-9_.-]+$");
        string(properties, "connector", "Connector", "The connector this connection is for.")
                .put("const", connectorId).put("default", connectorId);
        ObjectNode base = string(properties, "baseUrl", "Base URL", "The API's base URL (a test server's, in tests).")
                .put("format", "uri");
        if (baseUrl != null && baseUrl.matches("^https?://.*")) {
            base.put("default", baseUrl);
        } else {
            schema.putArray("required").add("baseUrl");
        }
        ObjectNode secrets = properties.putObject("secrets");
        secrets.put("title", "Secrets").put("description", "The credentials; never shown again after saving.")
                .put("type", "object").put("additionalProperties", false);
        ObjectNode secretProperties = secrets.putObject("properties");
        String scheme = security.scheme() == null ? "" : " (" + security.scheme() + ")";
        switch (security.kind()) {
            case API_KEY -> secret(secretProperties, API_KEY, "API key" + scheme,
                    "Sent as the " + security.in() + " '" + security.parameter() + "'.");
            case BEARER -> secret(secretProperties, TOKEN, "Access token" + scheme, "Sent as 'Authorization: Bearer <token>'.");
            case BASIC -> {
                string(properties, USERNAME, "User name" + scheme, "The user name of HTTP basic authentication.").put("minLength", 1);
                secret(secretProperties, PASSWORD, "Password" + scheme, "The password of HTTP basic authentication.");
            }
            case OAUTH2_CLIENT_CREDENTIALS -> {
                string(properties, CLIENT_ID, "Client id" + scheme, "The OAuth2 client id.").put("minLength", 1);
                secret(secretProperties, CLIENT_SECRET, "Client secret" + scheme, "The OAuth2 client secret.");
            }
            case NONE -> { }
        }
        integer(properties, "connectTimeoutMs", "Connect timeout (ms)", 100, 60000, 5000);
        integer(properties, "responseTimeoutMs", "Response timeout (ms)", 100, 300000, 30000);
        properties.putObject("rateLimitPerSecond").put("title", "Calls per second").put("type", "number")
                .put("description", "Client-side limit of calls per second on this connection; 0 for none.")
                .put("minimum", 0).put("default", 200);
        properties.putObject("actionRateLimitPerMinute").put("title", "Calls per minute per action").put("type", "integer")
                .put("description", "Client-side limit of calls per minute to one action; 0 for none.").put("minimum", 0);
        string(properties, "proxy", "Proxy", "An HTTP proxy such as http://proxy.example.com:3128; empty for a direct connection.")
                .put("format", "uri").put("pattern", "^https?://");
        return schema;
    }

    private static ObjectNode string(ObjectNode properties, String name, String title, String description) {
        return properties.putObject(name).put("title", title).put("description", description).put("type", "string");
    }

    private static void secret(ObjectNode properties, String name, String title, String description) {
        string(properties, name, title, description).put("minLength", 1).put("writeOnly", true);
    }

    private static void integer(ObjectNode properties, String name, String title, int min, int max, int dflt) {
        properties.putObject(name).put("title", title).put("description", title).put("type", "integer")
                .put("minimum", min).put("maximum", max).put("default", dflt);
    }
}
