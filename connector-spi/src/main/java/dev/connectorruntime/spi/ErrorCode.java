package dev.connectorruntime.spi;

/** The kinds of failure a caller can see. */
public enum ErrorCode {
    /** No action with the given id. */
    UNKNOWN_ACTION,
    /** The input is not valid JSON or breaks the input schema; nothing was sent. */
    INVALID_INPUT,
    /** No connection with the given name, or its settings are invalid. */
    INVALID_CONNECTION,
    /** The connection lacks the secret kind the action needs; nothing was sent. */
    MISSING_CREDENTIAL,
    /** The client-side rate limit of the connection or action is exhausted; nothing was sent. */
    RATE_LIMITED,
    /** The upstream rejected the connection's secret. */
    AUTH_FAILED,
    /** The upstream answered with an error code. */
    UPSTREAM_ERROR,
    /** The upstream could not be reached, or answered with something that is not its API. */
    UPSTREAM_UNAVAILABLE,
    /** A call that changes state may or may not have been applied (timeout, dropped connection). */
    OUTCOME_UNKNOWN,
    /** A local handler failed. */
    INTERNAL_ERROR
}
