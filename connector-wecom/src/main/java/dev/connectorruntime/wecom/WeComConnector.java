package dev.connectorruntime.wecom;

import com.fasterxml.jackson.databind.JsonNode;
import dev.connectorruntime.spi.ActionDescriptor;
import dev.connectorruntime.spi.CallbackHook;
import dev.connectorruntime.spi.TriggerDescriptor;
import dev.connectorruntime.wecom.callbacks.WeComCallbacks;
import dev.connectorruntime.spi.ActionException;
import dev.connectorruntime.spi.CatalogResources;
import dev.connectorruntime.spi.Connection;
import dev.connectorruntime.spi.Connector;
import dev.connectorruntime.spi.ConnectorContext;
import dev.connectorruntime.spi.ConnectorInfo;
import dev.connectorruntime.spi.Credential;
import dev.connectorruntime.spi.CredentialCheck;
import dev.connectorruntime.spi.LocalHandler;
import dev.connectorruntime.spi.UpstreamResponse;
import dev.connectorruntime.spi.Verdict;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.pf4j.Extension;

/** The WeCom connector: its catalog comes from {@code schemas/wecom}; this class adds the WeCom protocol. */
@Extension
public final class WeComConnector implements Connector {
    private static final String SCHEMAS = "schemas/wecom";

    private final CatalogResources catalog = CatalogResources.load(WeComConnector.class.getClassLoader(), SCHEMAS);
    private final Errcodes errcodes = Errcodes.load(WeComConnector.class.getClassLoader(), SCHEMAS + "/errcodes.json");
    private final ResponseClassifier classifier = new ResponseClassifier(errcodes);
    private final WeComCallbacks callbacks = new WeComCallbacks(catalog.triggers());
    private volatile ConnectorContext context;
    private volatile AccessTokens accessTokens;

    @Override
    public ConnectorInfo info() {
        return catalog.info();
    }

    @Override
    public List<ActionDescriptor> actions() {
        return catalog.actions();
    }

    @Override
    public List<TriggerDescriptor> triggers() {
        return catalog.triggers();
    }

    @Override
    public Optional<CallbackHook> callbacks() {
        return Optional.of(callbacks);
    }

    @Override
    public JsonNode connectionSchema() {
        return catalog.connectionSchema();
    }

    @Override
    public Optional<JsonNode> demoScenario() {
        return catalog.demo();
    }

    @Override
    public void start(ConnectorContext context) {
        this.context = Objects.requireNonNull(context);
        this.accessTokens = new AccessTokens(context, errcodes, catalog.info(), catalog.actions());
    }

    @Override
    public Credential authenticate(ActionDescriptor action, Connection connection) throws ActionException {
        return started().credential(action, connection);
    }

    @Override
    public void invalidate(Credential credential) {
        context.tokens().invalidate(credential.cacheKey(), credential.token());
    }

    @Override
    public void release(Connection connection) {
        started().release(connection);
    }

    @Override
    public List<CredentialCheck> checkConnection(Connection connection) {
        return started().check(connection);
    }

    @Override
    public Verdict classify(ActionDescriptor action, UpstreamResponse response) {
        return classifier.classify(action, response);
    }

    @Override
    public Optional<LocalHandler> handler(String name) {
        return switch (name) {
            case JsapiSignature.HANDLER_NAME -> Optional.of(new JsapiSignature(started(), context.clock()));
            case RawCall.HANDLER_NAME -> Optional.of(new RawCall());
            default -> Optional.empty();
        };
    }


    private AccessTokens started() {
        AccessTokens tokens = accessTokens;
        if (tokens == null) {
            throw new IllegalStateException("connector not started");
        }
        return tokens;
    }
}
