package dev.connectorruntime.spi;

import java.util.Map;

/**
 * A connector's handling of one inbound callback: verifies that the upstream sent it, decrypts it and
 * turns it into events of the connector's triggers. The host stays generic: it routes
 * {@code /callbacks/{connection}/{kind}} here, stores what comes back and answers the upstream.
 *
 * <p>Implementations must be safe to call from many threads at once, must not log or return any secret,
 * and must never throw for bad input: anything that is not a genuine callback is a {@link
 * CallbackResult.Rejected}.
 */
public interface CallbackHook {

    /**
     * Verifies and decodes one callback.
     *
     * @param connection the connection named in the URL
     * @param kind the callback kind named in the URL ({@code app}, {@code contact}, ...)
     * @param method {@code GET} or {@code POST}
     * @param query the query parameters (first value of each)
     * @param body the request body as received (empty for GET)
     */
    CallbackResult verify(Connection connection, String kind, String method, Map<String, String> query, byte[] body);

    /**
     * The plain-text body that acknowledges a stored POST callback (for WeCom: {@code success}).
     */
    default String acknowledgement() {
        return "success";
    }
}
