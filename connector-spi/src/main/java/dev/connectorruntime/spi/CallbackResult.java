package dev.connectorruntime.spi;

import java.util.List;
import java.util.Objects;

/** What a {@link CallbackHook} made of one inbound callback. */
public sealed interface CallbackResult {

    /** The upstream checks the callback URL: answer {@code plaintextReply} as the whole response body. */
    record UrlVerification(String plaintextReply) implements CallbackResult {
        public UrlVerification {
            Objects.requireNonNull(plaintextReply, "plaintextReply");
        }
    }

    /** A genuine callback carrying these events (store them, then acknowledge). */
    record Events(List<InboundEvent> events) implements CallbackResult {
        public Events {
            events = List.copyOf(events);
        }
    }

    /**
     * Not a genuine or acceptable callback: nothing is stored; the host answers 4xx with the reason code
     * only.
     *
     * @param reason a short stable code, such as {@code bad_signature}, {@code bad_receiveid},
     *     {@code bad_ciphertext}, {@code bad_xml}, {@code unknown_kind}, {@code not_configured}
     */
    record Rejected(String reason) implements CallbackResult {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
