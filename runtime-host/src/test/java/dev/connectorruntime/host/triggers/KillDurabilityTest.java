package dev.connectorruntime.host.triggers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.connectorruntime.host.store.EmbeddedStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An append that returned survives the process being killed (SIGKILL, no shutdown hooks): a child JVM
 * appends and reports each acknowledged key; after it is killed mid-stream, every reported key is in
 * the store.
 */
class KillDurabilityTest {
    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedAppendSurvivesKill9() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), AppendUntilKilled.class.getName(), dir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Set<String> acknowledged = new HashSet<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            String line;
            while (acknowledged.size() < 300 && System.nanoTime() < deadline && (line = lines.readLine()) != null) {
                acknowledged.add(line);
            }
            child.destroyForcibly(); // SIGKILL
            child.waitFor(30, TimeUnit.SECONDS);
            try {
                while ((line = lines.readLine()) != null) {
                    acknowledged.add(line); // printed before the kill landed: acknowledged too
                }
            } catch (java.io.IOException closedWithTheProcess) {
                // what was not read is not counted as acknowledged: the check only gets weaker, never wrong
            }
        }
        assertTrue(acknowledged.size() >= 50, "the child acknowledged appends: " + acknowledged.size());
        Set<String> stored = new HashSet<>();
        try (EmbeddedStore store = new EmbeddedStore(dir)) {
            new EmbeddedEventLog(store, Clock.systemUTC()).read(0, EventFilter.ALL, 1_000_000)
                    .forEach(e -> stored.add(e.event().get("key").asText()));
        }
        Set<String> lost = new HashSet<>(acknowledged);
        lost.removeAll(stored);
        assertTrue(lost.isEmpty(), lost.size() + " acknowledged appends lost, e.g. " + lost.stream().limit(5).toList());
    }
}
