package dev.connectorruntime.host.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedStoreTest {
    @TempDir
    Path dir;

    @Test
    void createsNothingUntilUsed() {
        Path data = dir.resolve("data");
        try (EmbeddedStore store = new EmbeddedStore(data)) {
            assertFalse(store.isOpen());
        }
        assertFalse(Files.exists(data));
    }

    @Test
    void migrationStepsRunOnceAcrossRestarts() {
        List<String> v1 = List.of("CREATE TABLE notes (id INT PRIMARY KEY)");
        List<String> v2 = List.of("CREATE TABLE notes (id INT PRIMARY KEY)", "ALTER TABLE notes ADD COLUMN body VARCHAR(10)");
        try (EmbeddedStore store = new EmbeddedStore(dir)) {
            store.migrate("notes", v1);
            store.migrate("notes", v1);
            store.inTransaction(c -> c.createStatement().executeUpdate("INSERT INTO notes VALUES (1)"));
        }
        assertTrue(Files.exists(dir.resolve("runtime.mv.db")));
        try (EmbeddedStore store = new EmbeddedStore(dir)) {
            store.migrate("notes", v2);
            store.inTransaction(c -> c.createStatement().executeUpdate("UPDATE notes SET body = 'kept' WHERE id = 1"));
            String body = store.inTransaction(c -> {
                try (ResultSet rows = c.createStatement().executeQuery("SELECT body FROM notes")) {
                    rows.next();
                    return rows.getString(1);
                }
            });
            assertEquals("kept", body);
        }
    }

    @Test
    void aFileFromAnEarlierVersionGetsItsBackgroundWriterBack() throws Exception {
        // earlier versions wrote every commit through with WRITE_DELAY=0, which H2 keeps in the file and
        // which also stops the background writer that compacts it
        try (java.sql.Connection old = java.sql.DriverManager.getConnection(
                "jdbc:h2:file:" + dir.resolve("runtime") + ";WRITE_DELAY=0", "runtime", "")) {
            old.createStatement().execute("CREATE TABLE notes (id INT PRIMARY KEY)");
        }
        try (EmbeddedStore store = new EmbeddedStore(dir)) {
            List<Integer> delays = store.inTransaction(c -> {
                List<Integer> found = new java.util.ArrayList<>();
                try (ResultSet rows = c.createStatement().executeQuery(
                        "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'")) {
                    while (rows.next()) {
                        found.add(Integer.parseInt(rows.getString(1)));
                    }
                }
                return found;
            });
            assertFalse(delays.isEmpty());
            delays.forEach(delay -> assertTrue(delay > 0, "WRITE_DELAY " + delays));
        }
    }

    @Test
    void failedWorkIsRolledBack() {
        try (EmbeddedStore store = new EmbeddedStore(dir)) {
            store.migrate("notes", List.of("CREATE TABLE notes (id INT PRIMARY KEY)"));
            try {
                store.inTransaction(c -> {
                    c.createStatement().executeUpdate("INSERT INTO notes VALUES (1)");
                    throw new IllegalStateException("boom");
                });
            } catch (IllegalStateException expected) {
                // rolled back
            }
            int count = store.inTransaction(c -> {
                try (ResultSet rows = c.createStatement().executeQuery("SELECT COUNT(*) FROM notes")) {
                    rows.next();
                    return rows.getInt(1);
                }
            });
            assertEquals(0, count);
        }
    }
}
