package dev.connectorruntime.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The distribution's lib/ holds exactly the listed jars: it never grows (or shrinks) unnoticed. */
class DistributionIT {

    @Test
    void libHoldsExactlyTheListedJars() throws IOException {
        Set<String> expected;
        try (InputStream in = getClass().getResourceAsStream("/dist-lib.txt")) {
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        Path lib = Path.of(System.getProperty("runtime.dist", "target/dist"), "lib");
        Set<String> actual;
        try (Stream<Path> jars = Files.list(lib)) {
            actual = jars.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar"))
                    .map(n -> n.replaceFirst("-[0-9].*\\.jar$", "")).collect(Collectors.toCollection(TreeSet::new));
        }
        Set<String> added = new TreeSet<>(actual);
        added.removeAll(expected);
        Set<String> gone = new TreeSet<>(expected);
        gone.removeAll(actual);
        assertTrue(added.isEmpty() && gone.isEmpty(), "dist/lib differs from src/test/resources/dist-lib.txt: new " + added
                + ", gone " + gone + " (a stale target/dist keeps old jars: ./mvnw clean package)");
        assertEquals(expected.size(), actual.size());
    }

    @Test
    void eachLibraryIsThereOnceInOneVersion() throws IOException {
        try (Stream<Path> jars = Files.list(Path.of(System.getProperty("runtime.dist", "target/dist"), "lib"))) {
            var names = jars.map(p -> p.getFileName().toString().replaceFirst("-[0-9].*\\.jar$", "")).toList();
            assertEquals(new TreeSet<>(names).size(), names.size(), "two versions of one library in lib/: " + names);
        }
    }
}
