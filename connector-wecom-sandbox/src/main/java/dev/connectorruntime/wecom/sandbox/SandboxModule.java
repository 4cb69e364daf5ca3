package dev.connectorruntime.wecom.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** A group of sandbox endpoints (contacts, messages, calendars ...) and the state they seed. */
interface SandboxModule {

    /** Fills this module's collections of {@code state} from the seed. Called on start and on reset. */
    void seed(SandboxState state, JsonNode seed);

    /** The module's routes: path -> endpoint. */
    Map<String, Endpoint> endpoints();

    /**
     * One endpoint: HTTP method, whether it changes state (counted as applied when it succeeds), and
     * the route.
     */
    record Endpoint(String method, boolean write, Route route) {
        static Endpoint read(String method, Route route) {
            return new Endpoint(method, false, route);
        }

        static Endpoint write(String method, Route route) {
            return new Endpoint(method, true, route);
        }
    }
}
