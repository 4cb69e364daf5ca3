package dev.connectorruntime.host.http;

import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.EagerContentHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Reads a request's whole body (up to the limit, 413 beyond) before any route runs, asynchronously:
 * a client that sends its body slowly holds a connection, never a thread. A body that stops arriving
 * for the idle timeout ends the request and its connection.
 */
final class BodyFirstHandler extends EagerContentHandler {
    BodyFirstHandler(long maxBodyBytes) {
        super(new RetainedContentLoaderFactory(maxBodyBytes, -1, true));
    }

    @Override
    protected boolean onConditionsMet(Request request, Response response, Callback callback) throws Exception {
        return super.onConditionsMet(new IdleIsFatal(request), response, callback);
    }

    /** Jetty reports an idle timeout while reading as a transient failure (read again); here it is final. */
    private static final class IdleIsFatal extends Request.Wrapper {
        IdleIsFatal(Request request) {
            super(request);
        }

        @Override
        public Content.Chunk read() {
            Content.Chunk chunk = super.read();
            if (Content.Chunk.isFailure(chunk) && !chunk.isLast()) {
                return Content.Chunk.from(chunk.getFailure(), true);
            }
            return chunk;
        }
    }
}
