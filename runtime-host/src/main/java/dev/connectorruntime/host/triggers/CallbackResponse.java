package dev.connectorruntime.host.triggers;

/**
 * The HTTP answer to one inbound callback.
 *
 * @param status 200 when verified (and, for events, stored); 4xx when rejected; 503 when the store failed
 * @param contentType the body's media type
 * @param body plain text for WeCom (the echo, or the acknowledgement), or a JSON reason
 */
public record CallbackResponse(int status, String contentType, String body) {
    static final String TEXT = "text/plain; charset=utf-8";

    static CallbackResponse text(String body) {
        return new CallbackResponse(200, TEXT, body);
    }

    /** A rejection carries its reason code only, never detail. */
    static CallbackResponse rejected(int status, String reason) {
        return new CallbackResponse(status, "application/json; charset=utf-8", "{\"reason\":\"" + reason + "\"}");
    }
}
