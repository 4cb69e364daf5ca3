package dev.connectorruntime.host.cli;

import dev.connectorruntime.host.ConnectorHost;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Managed connections kept in the data directory's store, and the keys sealing their secrets. */
final class StoreOptions {
    @Option(names = "--secret-keys-file", paramLabel = "<file>",
            description = "AES-256 keys sealing stored secrets and the access tokens kept in a shared Redis, id:base64key per line,"
                    + " the first seals (default: $RUNTIME_SECRET_KEYS,"
                    + " else secret-keys in the data directory, made on first use).")
    Path secretKeysFile;

    /** The builder, keeping managed connections in the store. */
    ConnectorHost.Builder apply(ConnectorHost.Builder builder) {
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
