package dev.connectorruntime.host;

import dev.connectorruntime.spi.Connector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginManager;
import org.pf4j.PluginWrapper;

/** Loads connector plugins (PF4J zips or folders) from a plugins directory. */
final class PluginLoader implements AutoCloseable {
    private final PluginManager plugins;

    PluginLoader(Path pluginsDir) {
        if (!Files.isDirectory(pluginsDir)) {
            throw new IllegalStateException("plugins directory not found: " + pluginsDir);
        }
        plugins = new DefaultPluginManager(pluginsDir);
        plugins.loadPlugins();
        plugins.startPlugins();
    }

    List<Connector> connectors() {
        List<Connector> connectors = plugins.getExtensions(Connector.class);
        if (connectors.isEmpty()) {
            throw new IllegalStateException("no connector plugin found in " + plugins.getPluginsRoots());
        }
        return connectors;
    }

    @Override
    public void close() {
        // one by one from a copy: stopPlugins() may fail on concurrent modification in some PF4J versions
        for (PluginWrapper plugin : new ArrayList<>(plugins.getStartedPlugins())) {
            plugins.stopPlugin(plugin.getPluginId());
        }
        plugins.unloadPlugins();
    }
}
