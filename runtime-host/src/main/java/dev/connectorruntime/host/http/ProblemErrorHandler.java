package dev.connectorruntime.host.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own errors (a bad URI, headers too large, a body over the limit, a request Jetty rejects
 * before any route sees it) as problem JSON like every other error, without Jetty's HTML or its version.
 */
final class ProblemErrorHandler extends ErrorHandler {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                     Callback callback) throws java.io.IOException {
        String reason = HttpStatus.getMessage(code);
        String codeName = reason == null ? "HTTP_ERROR" : reason.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]+", "_");
        // Jetty's message may echo request text (a URI, a header); the status and its reason say enough.
        String detail = reason == null ? "HTTP error " + code : reason;
        byte[] body = JSON.writeValueAsBytes(Problems.http(code, codeName, detail));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problems.CONTENT_TYPE);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
