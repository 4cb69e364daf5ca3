package dev.connectorruntime.host.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.connectorruntime.host.ConnectorHost;
import dev.connectorruntime.host.connections.ConnectionEnvironment;
import dev.connectorruntime.spi.ActionException;
import dev.connectorruntime.spi.Sandbox;
import java.util.Locale;
import picocli.CommandLine.Option;

/** Options shared by commands that use a connection and speak to a designer. */
final class ConnectionOptions {
    @Option(names = "--connection", paramLabel = "<file>",
            description = "Connection file (JSON). Default: the CONNECTION_* environment variables.")
    String connectionFile;

    @Option(names = "--sandbox", description = "Use a fresh embedded sandbox instead of a real connection.")
    boolean sandbox;

    @Option(names = "--lang", paramLabel = "<zh|en>", defaultValue = "zh",
            description = "Language of validation messages (default zh).")
    String lang;

    Locale locale() {
        return "en".equalsIgnoreCase(lang) ? Locale.ENGLISH : Locale.SIMPLIFIED_CHINESE;
    }

    /** The connection a command runs on, and the sandbox behind it when {@code --sandbox} is given. */
    record Session(String connection, Sandbox.Instance sandbox) implements AutoCloseable {
        @Override
        public void close() {
            if (sandbox != null) {
                sandbox.close();
            }
        }
    }

    /** Adds the sandbox's, the file's or the environment's connection; its name is null when none is given. */
    Session open(ConnectorHost host) throws Io.InputError, ActionException {
        if (sandbox) {
            Sandbox.Instance running = host.startSandbox(null);
            return new Session(host.addConnection(running.connection()), running);
        }
        JsonNode connection = connectionFile != null ? Io.read(connectionFile, System.in) : ConnectionEnvironment.read(System.getenv());
        return new Session(connection == null ? null : host.addConnection(connection), null);
    }
}
