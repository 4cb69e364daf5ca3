package dev.connectorruntime.host.http;

/** Ends a request with a problem about HTTP itself (401, 403, 415 ...), from any handler or filter. */
final class HttpProblem extends RuntimeException {
    final int status;
    final String code;

    HttpProblem(int status, String code, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
    }
}
