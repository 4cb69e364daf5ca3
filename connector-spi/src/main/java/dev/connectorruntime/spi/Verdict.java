package dev.connectorruntime.spi;

import com.fasterxml.jackson.databind.JsonNode;

/** A connector's reading of one upstream response. */
public sealed interface Verdict {

    /** The call succeeded; {@code output} is the action's output. */
    record Success(JsonNode output) implements Verdict {}

    /** The credential was rejected (expired or revoked token): invalidate it and resend once. */
    record CredentialRejected(ActionError error) implements Verdict {}

    /**
     * The upstream refused the call without applying it (busy, rate limited): it may be resent after
     * a backoff, even when the action is not safe to repeat.
     *
     * @param retryAfter how long the upstream asked to wait (HTTP {@code Retry-After}), or null: the
     *     host waits at least this long before resending, and gives up when that exceeds its budget
     */
    record NotApplied(ActionError error, java.time.Duration retryAfter) implements Verdict {
        public NotApplied(ActionError error) {
            this(error, null);
        }
    }

    /** The call failed; resending will not help. */
    record Failed(ActionError error) implements Verdict {}
}
