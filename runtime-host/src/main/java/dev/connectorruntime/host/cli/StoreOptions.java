package dev.connectorruntime.host.cli;

import dev.connectorruntime.host.ConnectorHost;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where managed connections are kept, and the keys sealing their secrets. */
final class StoreOptions {
    @Option(names = "--data-dir", paramLabel = "<dir>",
            description = "Data directory of the embedded store (default: $RUNTIME_DATA_DIR, else ./data).")
    Path dataDir;

    @Option(names = "--secret-keys-file", paramLabel = "<file>",
            description = "AES-256 keys sealing stored secrets, id:base64key per line, the first seals (default: $RUNTIME_SECRET_KEYS,"
                    + " else <data-dir>/secret-keys, made on first use).")
    Path secretKeysFile;

    /** The builder, keeping managed connections in the store. */
    ConnectorHost.Builder apply(ConnectorHost.Builder builder) {
        if (dataDir != null) {
            builder.dataDir(dataDir);
        }
        if (secretKeysFile != null) {
            try {
                builder.secretKeys(Files.readString(secretKeysFile));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + secretKeysFile, e);
            }
        }
        return builder.persistConnections(true);
    }
}
