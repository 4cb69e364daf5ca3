package dev.connectorruntime.host;

import dev.connectorruntime.spi.Connector;
import dev.connectorruntime.spi.Sandbox;
import dev.connectorruntime.spi.ConnectorFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginManager;
import org.pf4j.PluginWrapper;

/**
 * Loads connector plugins (PF4J zips or folders) from a plugins directory, and the connectors that
 * factory plugins make from the configured connector sources (files, or folders of files).
 */
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

    List<Connector> connectors(List<Path> sources) {
        List<Connector> connectors = new ArrayList<>(plugins.getExtensions(Connector.class));
        List<Path> files = files(sources);
        for (ConnectorFactory factory : plugins.getExtensions(ConnectorFactory.class)) {
            connectors.addAll(factory.connectors(files));
        }
        return connectors;
    }

    /** The sandboxes the plugins contribute. */
    List<Sandbox> sandboxes() {
        return plugins.getExtensions(Sandbox.class);
    }

    List<Path> roots() {
        return plugins.getPluginsRoots();
    }

    /** The regular files of the sources: a file as given, a folder's files (not sub-folders) by name. */
    private static List<Path> files(List<Path> sources) {
        List<Path> files = new ArrayList<>();
        for (Path source : sources) {
            if (Files.isDirectory(source)) {
                try (Stream<Path> listed = Files.list(source)) {
                    listed.filter(Files::isRegularFile).sorted().forEach(files::add);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot list connector sources in " + source, e);
                }
            } else if (Files.isRegularFile(source)) {
                files.add(source);
            } else {
                throw new IllegalStateException("connector source not found: " + source);
            }
        }
        return files;
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
