package dev.connectorruntime.spi;

import java.io.IOException;

/** The host's HTTP client, shared by all connectors (pooled, with the connection's timeouts). */
public interface Transport {

    /**
     * Sends one request.
     *
     * @throws TransportException when no response arrived; it says whether the request was written
     */
    UpstreamResponse send(UpstreamRequest request) throws TransportException;

    /** No response: {@code requestWritten} is false only when the upstream surely did not see the request. */
    final class TransportException extends IOException {
        private final boolean requestWritten;
        private final boolean timeout;

        public TransportException(String message, boolean requestWritten, boolean timeout, Throwable cause) {
            super(message, cause);
            this.requestWritten = requestWritten;
            this.timeout = timeout;
        }

        public boolean requestWritten() {
            return requestWritten;
        }

        public boolean timeout() {
            return timeout;
        }
    }
}
