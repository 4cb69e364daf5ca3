package dev.connectorruntime.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.connectorruntime.spi.ActionDescriptor;
import dev.connectorruntime.spi.CatalogResources;
import dev.connectorruntime.spi.Connection;
import dev.connectorruntime.spi.Connector;
import dev.connectorruntime.spi.ConnectorContext;
import dev.connectorruntime.spi.ConnectorInfo;
import dev.connectorruntime.spi.Credential;
import dev.connectorruntime.spi.CredentialCheck;
import dev.connectorruntime.spi.UpstreamResponse;
import dev.connectorruntime.spi.Verdict;
import java.time.Clock;
import java.util.List;

/**
 * One connector made from an OpenAPI document: its actions are the document's operations, its
 * authentication the security scheme its connector file chose (applied by the host), and its
 * answers are read by HTTP status.
 */
final class OpenApiConnector implements Connector {
    private final OpenApiCatalog catalog;
    private final ConnectorInfo info;
    private final List<ActionDescriptor> actions;
    private volatile ResponseClassifier classifier = new ResponseClassifier(Clock.systemUTC());

    OpenApiConnector(OpenApiCatalog catalog) {
        this.catalog = catalog;
        this.info = SpiMapping.info(catalog);
        this.actions = catalog.actions().stream()
                .map(node -> CatalogResources.descriptor(node, catalog.id() + "/" + node.get("id").asText()))
                .toList();
    }

    @Override
    public ConnectorInfo info() {
        return info;
    }

    @Override
    public List<ActionDescriptor> actions() {
        return actions;
    }

    @Override
    public JsonNode connectionSchema() {
        return catalog.connectionSchema().deepCopy();
    }

    @Override
    public void start(ConnectorContext context) {
        classifier = new ResponseClassifier(context.clock());
    }

    /** The host applies every scheme a document can name; nothing is left for this hook. */
    @Override
    public Credential authenticate(ActionDescriptor action, Connection connection) {
        return Credential.none();
    }

    @Override
    public void invalidate(Credential credential) {
        // no credential of its own
    }

    @Override
    public Verdict classify(ActionDescriptor action, UpstreamResponse response) {
        return classifier.classify(action, response);
    }

    @Override
    public List<CredentialCheck> checkConnection(Connection connection) {
        return List.of();
    }
}
