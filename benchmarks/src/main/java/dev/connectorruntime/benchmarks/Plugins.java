package dev.connectorruntime.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Plugins directories for the benchmarks, made from the packaged plugin zips of the distribution
 * ({@code runtime-host/target/dist/plugins/wecom-plugin.zip} and its sandbox,
 * {@code wecom-sandbox-plugin.zip}), as an operator would install them.
 */
final class Plugins {
    static final String CONNECTOR_JSON = "classes/schemas/wecom/connector.json";
    static final String SANDBOX_ZIP = "wecom-sandbox-plugin.zip";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Plugins() {}

    static Path packagedZip(Path dist) {
        Path zip = dist.resolve("plugins").resolve("wecom-plugin.zip");
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException("packaged plugin not found at " + zip + " (build first: ./mvnw -DskipTests package)");
        }
        return zip;
    }

    /** A new plugins directory holding the packaged zips as shipped. */
    static Path asShipped(Path dist) throws IOException {
        Path dir = Files.createTempDirectory("bench-plugins-shipped");
        Files.copy(packagedZip(dist), dir.resolve("wecom-plugin.zip"));
        Files.copy(dist.resolve("plugins").resolve(SANDBOX_ZIP), dir.resolve(SANDBOX_ZIP));
        return dir;
    }

    /** A new plugins directory holding a copy of the zips in {@code pluginsDir} (each host expands its own). */
    static Path copy(Path pluginsDir) throws IOException {
        Path dir = Files.createTempDirectory("bench-plugins");
        Files.copy(pluginsDir.resolve("wecom-plugin.zip"), dir.resolve("wecom-plugin.zip"));
        Files.copy(pluginsDir.resolve(SANDBOX_ZIP), dir.resolve(SANDBOX_ZIP));
        return dir;
    }

    /** The per-action limit the packaged catalog declares (calls per minute), or null. */
    static Integer shippedActionRateLimitPerMinute(Path dist) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(packagedZip(dist)))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                if (entry.getName().equals(CONNECTOR_JSON)) {
                    var node = JSON.readTree(in.readAllBytes()).get("actionRateLimitPerMinute");
                    return node == null || node.isNull() ? null : node.asInt();
                }
            }
        }
        return null;
    }

    static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // temporary files only
        }
    }
}
