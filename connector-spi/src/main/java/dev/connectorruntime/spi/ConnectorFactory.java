package dev.connectorruntime.spi;

import java.nio.file.Path;
import java.util.List;
import org.pf4j.ExtensionPoint;

/**
 * Makes connectors from files an operator gives the host: the files of its connectors folder and
 * those named on its command line. A connector defined by data (a document describing an API) needs
 * no plugin of its own: one factory plugin reads the data.
 *
 * <p>Implementations are PF4J extensions. The host calls {@link #connectors} once at start-up, before
 * starting any connector; the connectors returned are then treated like any other.
 */
public interface ConnectorFactory extends ExtensionPoint {

    /**
     * The connectors this factory makes from {@code sources} (regular files, in the order given).
     * Files it does not recognise are ignored; one it recognises but cannot read fails start-up with
     * an {@link IllegalArgumentException} naming the file.
     */
    List<Connector> connectors(List<Path> sources);
}
