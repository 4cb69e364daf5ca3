package dev.connectorruntime.spi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;

/** A local stand-in for the upstream service, served over HTTP on loopback. */
public interface Sandbox {

    /** Starts a new, independent sandbox on a free loopback port. */
    Instance start();

    /** A running sandbox. */
    interface Instance extends AutoCloseable {
        URI baseUrl();

        /** A connection to this sandbox, in the connection-file format (secrets included). */
        ObjectNode connection();

        /**
         * Sends the callbacks the upstream would send for this sandbox's writes (and injected events) to
         * {@code base/<kind>}, e.g. {@code http://127.0.0.1:8080/callbacks/sandbox}; null stops them.
         * Sandboxes of upstreams without callbacks ignore it.
         */
        default void sendCallbacksTo(URI base) {}

        @Override
        void close();
    }
}
