package dev.connectorruntime.openapi;

import dev.connectorruntime.spi.Connector;
import dev.connectorruntime.spi.ConnectorFactory;
import java.nio.file.Path;
import java.util.List;
import org.pf4j.Extension;

/**
 * Makes a connector of each OpenAPI document among the host's connector sources: one per connector
 * file, and one per document no connector file names.
 */
@Extension
public final class OpenApiConnectorFactory implements ConnectorFactory {

    @Override
    public List<Connector> connectors(List<Path> sources) {
        return ConnectorSources.select(sources).stream()
                .map(file -> {
                    try {
                        return (Connector) new OpenApiConnector(OpenApiCatalog.load(file));
                    } catch (RuntimeException e) {
                        throw new IllegalArgumentException("OpenAPI connector '" + file.id() + "' (" + file.document() + "): "
                                + e.getMessage(), e);
                    }
                })
                .toList();
    }
}
