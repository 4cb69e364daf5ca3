package dev.connectorruntime.spi;

/** The HTTP method of an action's upstream call. */
public enum HttpMethod {
    GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS;

    /** GET and HEAD carry no body: every input field of theirs goes to the query string. */
    public boolean sendsBody() {
        return this != GET && this != HEAD;
    }
}
