package dev.connectorruntime.spi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import org.pf4j.ExtensionPoint;

/**
 * A connector: a catalog of actions plus the hooks the host's generic executor calls.
 *
 * <p>Implementations are PF4J extensions. The host calls {@link #start(ConnectorContext)} once before
 * any other hook; all hooks must be safe to call from many threads at once.
 */
public interface Connector extends ExtensionPoint {

    /** Identity, titles, categories and credential kinds. */
    ConnectorInfo info();

    /** Every action of the connector, in palette order. */
    List<ActionDescriptor> actions();

    /** JSON Schema of a connection's settings (the "integration settings" form). */
    JsonNode connectionSchema();

    /** A scenario the host's {@code demo} command runs against the sandbox, or empty. */
    default Optional<JsonNode> demoScenario() {
        return Optional.empty();
    }

    /** Called once by the host with the services it provides. */
    void start(ConnectorContext context);

    /**
     * Returns the credential to attach to one upstream request of {@code action}.
     *
     * @throws ActionException with {@link ErrorCode#MISSING_CREDENTIAL} when the connection lacks the
     *     secret the action needs, or {@link ErrorCode#AUTH_FAILED} when it is rejected upstream
     */
    Credential authenticate(ActionDescriptor action, Connection connection) throws ActionException;

    /** Forgets a credential the upstream rejected, so the next {@link #authenticate} fetches a new one. */
    void invalidate(Credential credential);

    /**
     * Forgets whatever the connector keeps for {@code connection} (tokens and tickets in the host's
     * {@link TokenStore}, keys derived from its secrets). The host calls it once the connection was
     * removed, or replaced with other credentials, and no call runs on it any more. Connectors keep
     * per-connection state only where this can free it: no static maps.
     */
    default void release(Connection connection) {}

    /** Classifies an upstream HTTP response of {@code action}. */
    Verdict classify(ActionDescriptor action, UpstreamResponse response);

    /**
     * Checks each secret the connection has against the upstream (for WeCom: one gettoken per secret
     * kind, bypassing the cache). Reports per kind; never includes a secret.
     */
    List<CredentialCheck> checkConnection(Connection connection);

    /** The local handler named by a descriptor's {@code handler}, if this connector has it. */
    default Optional<LocalHandler> handler(String name) {
        return Optional.empty();
    }

    /** Every trigger of the connector (events a workflow can start on), in palette order. */
    default List<TriggerDescriptor> triggers() {
        return List.of();
    }

    /** How the connector verifies and decodes inbound callbacks, if it has triggers. */
    default Optional<CallbackHook> callbacks() {
        return Optional.empty();
    }

    /** A local stand-in for the upstream service, for first runs and tests. */
    default Optional<Sandbox> sandbox() {
        return Optional.empty();
    }
}
