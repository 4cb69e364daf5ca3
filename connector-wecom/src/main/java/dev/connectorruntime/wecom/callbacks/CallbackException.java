package dev.connectorruntime.wecom.callbacks;

/** A callback that is not genuine or not acceptable; the message is the reason code only. */
public final class CallbackException extends RuntimeException {
    public CallbackException(String reason) {
        super(reason, null, false, false);
    }

    public String reason() {
        return getMessage();
    }
}
