package dev.connectorruntime.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class-data-sharing archive that makes short commands start sooner holds the installation's paths:
 * a moved or copied installation records its own on the first command that loads the plugins, with the
 * same output, and uses it from then on.
 */
class StartupArchiveIT {
    private static final Path DIST = Path.of(System.getProperty("runtime.dist", "target/dist"));

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {}

    private static Run run(Path home, String javaOpts, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(home.resolve("bin/runtime-host").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(k -> k.startsWith("CONNECTION_") || k.startsWith("RUNTIME_") || k.equals("JAVA_OPTS"));
        if (javaOpts != null) {
            builder.environment().put("JAVA_OPTS", javaOpts);
        }
        Process process = builder.start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        return new Run(process.exitValue(), out, err);
    }

    private Path copyOfTheDistribution() throws IOException {
        Path copy = dir.resolve("moved");
        try (Stream<Path> files = Files.walk(DIST)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path target = copy.resolve(DIST.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return copy.toRealPath();
    }

    private static boolean mainCameFromTheArchive(Path home, Path log) throws Exception {
        Run run = run(home, "-Xlog:class+load:file=" + log, "actions");
        assertEquals(0, run.exit(), run.err());
        return Files.readAllLines(log).stream()
                .anyMatch(l -> l.contains("dev.connectorruntime.host.cli.Main source: shared objects file (top)"));
    }

    @Test
    void aCopiedInstallationRecordsItsOwnArchiveOnceAndThenUsesIt() throws Exception {
        Path home = copyOfTheDistribution();
        Path stamp = home.resolve("lib/runtime-host.jsa.home");
        assertNotEquals(home.toString(), Files.readString(stamp).strip(), "the copy still names where it was built");

        Run first = run(home, null, "actions");
        assertEquals(0, first.exit(), first.err());
        assertEquals("", first.err(), "recording prints nothing");
        assertEquals(run(DIST.toRealPath(), null, "actions").out(), first.out(), "same output while recording");
        assertEquals(home.toString(), Files.readString(stamp).strip());
        assertTrue(mainCameFromTheArchive(home, dir.resolve("classes.log")));
    }

    @Test
    void aJarNewerThanTheArchiveHasItRecordedAgain() throws Exception {
        Path home = copyOfTheDistribution();
        run(home, null, "actions");
        Path archive = home.resolve("lib/runtime-host.jsa");
        FileTime recorded = Files.getLastModifiedTime(archive);
        try (Stream<Path> jars = Files.list(home.resolve("lib"))) {
            Path jar = jars.filter(p -> p.toString().endsWith(".jar")).findFirst().orElseThrow();
            Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(5)));
        }
        assertEquals(0, run(home, null, "actions").exit());
        assertTrue(Files.getLastModifiedTime(archive).compareTo(recorded) > 0, "recorded again");
    }

    @Test
    void commandsThatDoNotLoadThePluginsLeaveTheArchiveAlone() throws Exception {
        Path home = copyOfTheDistribution();
        Path stamp = home.resolve("lib/runtime-host.jsa.home");
        String before = Files.readString(stamp);
        Run version = run(home, null, "--version");
        assertEquals(0, version.exit());
        assertEquals(before, Files.readString(stamp));
    }
}
