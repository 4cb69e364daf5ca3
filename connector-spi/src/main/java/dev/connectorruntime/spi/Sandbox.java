package dev.connectorruntime.spi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import org.pf4j.ExtensionPoint;

/**
 * A local stand-in for a connector's upstream service, served over HTTP on loopback. Found as a PF4J
 * extension (a plugin of its own beside the connector's), or given by the connector's
 * {@link Connector#sandbox()} hook.
 */
public interface Sandbox extends ExtensionPoint {

    /** The id of the connector whose upstream this sandbox stands in for. */
    String connectorId();

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
