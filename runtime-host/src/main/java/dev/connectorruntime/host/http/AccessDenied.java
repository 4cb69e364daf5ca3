package dev.connectorruntime.host.http;

/** A caller lacks a scope or a connection: answered 403 with a problem naming what is missing. */
public final class AccessDenied extends RuntimeException {
    public AccessDenied(String message) {
        super(message, null, false, false);
    }
}
