package dev.connectorruntime.host.triggers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.connectorruntime.host.store.EmbeddedStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedEventLogTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    private static com.fasterxml.jackson.databind.node.ObjectNode event(String user) {
        return MAPPER.createObjectNode().put("UserID", user).put("CreateTime", 1_700_000_000);
    }

    @Test
    void aResentEventIsStoredOnce() {
        try (EmbeddedStore store = new EmbeddedStore(dir)) {
            EventLog log = new EmbeddedEventLog(store, Clock.systemUTC());
            Optional<TriggerEvent> first = log.append("k1", "t", "c", event("a"));
            assertTrue(first.isPresent());
            assertTrue(log.append("k1", "t", "c", event("a")).isEmpty());
            assertTrue(log.append("k1", "t", "c", event("a")).isEmpty());
            assertEquals(List.of(first.get()), log.read(0, EventFilter.ALL, 10));
        }
    }

    @Test
    void eventsSurviveRestartInOrderWithTheirIds() {
        List<TriggerEvent> appended = new ArrayList<>();
        try (EmbeddedStore store = new EmbeddedStore(dir)) {
            EventLog log = new EmbeddedEventLog(store, Clock.systemUTC());
            for (int i = 0; i < 5; i++) {
                appended.add(log.append("k" + i, i % 2 == 0 ? "even" : "odd", "c", event("u" + i)).orElseThrow());
            }
        }
        try (EmbeddedStore store = new EmbeddedStore(dir)) {
            EventLog log = new EmbeddedEventLog(store, Clock.systemUTC());
            assertEquals(appended, log.read(0, EventFilter.ALL, 100));
            assertEquals(appended.subList(2, 5), log.read(appended.get(1).sequence(), EventFilter.ALL, 100));
            assertEquals(List.of(appended.get(1), appended.get(3)), log.read(0, EventFilter.of("odd", "c"), 100));
            assertEquals(List.of(), log.read(0, EventFilter.of("odd", "other"), 100));
            assertTrue(log.append("k3", "odd", "c", event("u3")).isEmpty(), "dedup keys survive a restart");
        }
    }

    @Test
    void fieldConditionsFilterAcrossPages() {
        try (EmbeddedStore store = new EmbeddedStore(dir)) {
            EventLog log = new EmbeddedEventLog(store, Clock.systemUTC());
            for (int i = 0; i < 450; i++) {
                log.append("k" + i, "t", "c", event(i % 150 == 0 ? "wanted" : "other"));
            }
            EventFilter wanted = EventFilter.of("t", null).where(MAPPER.createObjectNode().put("field", "/UserID").put("equals", "wanted"));
            List<TriggerEvent> found = log.read(0, wanted, 10);
            assertEquals(3, found.size());
            found.forEach(e -> assertEquals("wanted", e.event().get("UserID").asText()));
        }
    }

    @Test
    void concurrentAppendsGetDistinctIncreasingSequences() throws Exception {
        try (EmbeddedStore store = new EmbeddedStore(dir)) {
            EventLog log = new EmbeddedEventLog(store, Clock.systemUTC());
            ExecutorService pool = Executors.newFixedThreadPool(16);
            List<Future<Optional<TriggerEvent>>> futures = new ArrayList<>();
            for (int i = 0; i < 800; i++) {
                String key = "k" + (i % 400);
                futures.add(pool.submit(() -> log.append(key, "t", "c", event(key))));
            }
            int stored = 0;
            for (Future<Optional<TriggerEvent>> f : futures) {
                stored += f.get().isPresent() ? 1 : 0;
            }
            pool.shutdown();
            assertEquals(400, stored, "each key stored once");
            List<TriggerEvent> all = log.read(0, EventFilter.ALL, 1000);
            assertEquals(400, all.size());
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < all.size(); i++) {
                ids.add(all.get(i).id());
                if (i > 0) {
                    assertTrue(all.get(i).sequence() > all.get(i - 1).sequence());
                }
            }
            assertEquals(400, ids.size());
        }
    }

    @Test
    void purgeForgetsOldEventsOnly() {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        try (EmbeddedStore store = new EmbeddedStore(dir)) {
            EventLog old = new EmbeddedEventLog(store, Clock.fixed(t0, ZoneOffset.UTC));
            old.append("old", "t", "c", event("a"));
            EventLog recent = new EmbeddedEventLog(store, Clock.fixed(t0.plusSeconds(86_400 * 8), ZoneOffset.UTC));
            TriggerEvent kept = recent.append("new", "t", "c", event("b")).orElseThrow();
            recent.purgeOlderThan(t0.plusSeconds(86_400));
            assertEquals(List.of(kept), recent.read(0, EventFilter.ALL, 10));
        }
    }

    @Test
    void theFileStaysNearTheSizeOfWhatItHoldsUnderSustainedAppends() throws Exception {
        String kilobyte = "x".repeat(1000);
        int events = 8000;
        try (EmbeddedStore store = new EmbeddedStore(dir)) {
            EventLog log = new EmbeddedEventLog(store, Clock.systemUTC());
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<Optional<TriggerEvent>>> futures = new ArrayList<>();
            for (int i = 0; i < events; i++) {
                String key = "k" + i;
                futures.add(pool.submit(() -> log.append(key, "t", "c", event(key).put("Note", kilobyte))));
            }
            for (Future<Optional<TriggerEvent>> f : futures) {
                assertTrue(f.get().isPresent());
            }
            pool.shutdown();
        }
        // every commit writes the pages it touched as a new chunk; without compaction the file kept every one
        // of them (about 30 KB an event, gigabytes a minute under callback load)
        long size = java.nio.file.Files.size(dir.resolve("runtime.mv.db"));
        long held = events * 1_100L;
        assertTrue(size < 6 * held, "file of " + size / 1024 + " KB for " + held / 1024 + " KB of events");
    }

    @Test
    void aClosedLogStoresWhatItAcceptedAndRefusesMore() {
        try (EmbeddedStore store = new EmbeddedStore(dir)) {
            EmbeddedEventLog log = new EmbeddedEventLog(store, Clock.systemUTC());
            TriggerEvent stored = log.append("k1", "t", "c", event("a")).orElseThrow();
            log.close();
            assertThrows(IllegalStateException.class, () -> log.append("k2", "t", "c", event("b")));
            assertEquals(List.of(stored), new EmbeddedEventLog(store, Clock.systemUTC()).read(0, EventFilter.ALL, 10));
        }
    }
}
