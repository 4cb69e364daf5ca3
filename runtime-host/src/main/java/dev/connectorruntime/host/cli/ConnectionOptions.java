package dev.connectorruntime.host.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.connectorruntime.host.ConnectionEnvironment;
import dev.connectorruntime.host.ConnectorHost;
import dev.connectorruntime.spi.ActionException;
import java.util.Locale;
import picocli.CommandLine.Option;

/** Options shared by commands that use a connection and speak to a designer. */
final class ConnectionOptions {
    @Option(names = "--connection", paramLabel = "<file>",
            description = "Connection file (JSON). Default: the CONNECTION_* environment variables.")
    String connectionFile;

    @Option(names = "--lang", paramLabel = "<zh|en>", defaultValue = "zh",
            description = "Language of validation messages (default zh).")
    String lang;

    Locale locale() {
        return "en".equalsIgnoreCase(lang) ? Locale.ENGLISH : Locale.SIMPLIFIED_CHINESE;
    }

    /** Adds the connection from the file or the environment; returns its name, or null when none is given. */
    String addTo(ConnectorHost host) throws Io.InputError, ActionException {
        JsonNode connection = connectionFile != null ? Io.read(connectionFile, System.in) : ConnectionEnvironment.read(System.getenv());
        return connection == null ? null : host.addConnection(connection);
    }
}
