package dev.connectorruntime.host.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Objects;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * The host's own durable state (trigger events, subscriptions, managed connections): one H2 file
 * database, {@code runtime.mv.db} in the data directory.
 *
 * <p>Nothing is created until a feature first needs the store, so short commands leave no files
 * behind. Each feature brings its own schema as an ordered list of migration steps ({@link #migrate});
 * a step runs once, ever. A commit is written to the file before it returns, so it survives the
 * process being killed; H2's background writer compacts the file meanwhile. Thread-safe; one per host.
 */
public final class EmbeddedStore implements AutoCloseable {
    private static final String FILE_NAME = "runtime";

    private final Path dataDir;
    private volatile JdbcConnectionPool pool;
    private final Object writerLock = new Object();
    private Connection writer;
    private boolean closed;

    /** A store in {@code dataDir}; the directory and database are created on first use. */
    public EmbeddedStore(Path dataDir) {
        this.dataDir = Objects.requireNonNull(dataDir, "dataDir").toAbsolutePath();
    }

    /** The data directory (it may not exist yet). */
    public Path dataDir() {
        return dataDir;
    }

    /** True once something has opened the database. */
    public boolean isOpen() {
        return pool != null;
    }

    /**
     * Brings {@code feature}'s tables up to date: runs, in order, each step not yet applied. Steps are
     * append-only: a released step is never edited, a change is a new step.
     *
     * @param feature a stable name, such as {@code trigger_events}
     * @param steps SQL statements, one per step
     */
    public synchronized void migrate(String feature, List<String> steps) {
        inTransaction(connection -> {
            int applied = 0;
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT version FROM store_migrations WHERE feature = ?")) {
                query.setString(1, feature);
                try (ResultSet rows = query.executeQuery()) {
                    if (rows.next()) {
                        applied = rows.getInt(1);
                    }
                }
            }
            try (Statement statement = connection.createStatement()) {
                for (int i = applied; i < steps.size(); i++) {
                    statement.execute(steps.get(i));
                }
            }
            if (applied < steps.size()) {
                try (PreparedStatement save = connection.prepareStatement(
                        "MERGE INTO store_migrations (feature, version) KEY (feature) VALUES (?, ?)")) {
                    save.setString(1, feature);
                    save.setInt(2, steps.size());
                    save.executeUpdate();
                }
            }
            return null;
        });
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    public <T> T inTransaction(Work<T> work) {
        return transaction(work, true);
    }

    /**
     * Runs {@code work}, which only reads, in one transaction: it sees one consistent state and, having
     * written nothing, skips the checkpoint that makes a commit durable (which would otherwise write out
     * whatever other transactions left unsaved).
     */
    public <T> T read(Work<T> work) {
        return transaction(work, false);
    }

    private <T> T transaction(Work<T> work, boolean writes) {
        try (Connection connection = pool().getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                if (writes) {
                    durable(connection);
                }
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /**
     * Runs {@code work} in one transaction on the store's single writer connection, one caller at a time.
     * For hot write paths: it skips the pool's per-use resets, each of which costs a file write when
     * every commit is written through.
     */
    public <T> T inWriterTransaction(Work<T> work) {
        synchronized (writerLock) {
            try {
                if (writer == null || writer.isClosed()) {
                    writer = pool().getConnection();
                    writer.setAutoCommit(false);
                }
                try {
                    T result = work.run(writer);
                    writer.commit();
                    durable(writer);
                    return result;
                } catch (SQLException | RuntimeException e) {
                    writer.rollback();
                    throw e;
                }
            } catch (SQLException e) {
                throw new StoreException(e);
            }
        }
    }

    /**
     * Writes what was committed to the file (H2's CHECKPOINT: the commit's pages in a new chunk, handed to
     * the operating system), so it survives the process being killed. Cheap when nothing is unsaved.
     */
    private static void durable(Connection connection) throws SQLException {
        try (Statement checkpoint = connection.createStatement()) {
            checkpoint.execute("CHECKPOINT");
        }
    }

    private JdbcConnectionPool pool() {
        JdbcConnectionPool current = pool;
        if (current != null) {
            return current;
        }
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("store closed");
            }
            if (pool == null) {
                pool = open();
            }
            return pool;
        }
    }

    private JdbcConnectionPool open() {
        try {
            Files.createDirectories(dataDir);
        } catch (java.io.IOException e) {
            throw new StoreException(new SQLException("cannot create data directory " + dataDir, e));
        }
        // WRITE_DELAY=500 (H2's default, said because H2 keeps the setting in the file and files of earlier
        //   versions hold 0): commits are made durable by a checkpoint before they return (see durable),
        //   not by WRITE_DELAY=0, which also stops the background writer that compacts the file: it then
        //   grew by every byte written (gigabytes a minute under callback load).
        // RETENTION_TIME=1000: with a chunk written per commit, keeping superseded chunks the default 45 s
        //   grows the file faster. Not 0: H2 may then reuse a chunk still listed in the chunk map it writes
        //   at close, and the file no longer opens (h2database/h2database#2752, #4083).
        // PAGE_SIZE=4096: a commit rewrites each page it touches; smaller pages halve the bytes per commit.
        // QUERY_CACHE_SIZE=32: the hot statements stay parsed.
        String url = "jdbc:h2:file:" + dataDir.resolve(FILE_NAME)
                + ";WRITE_DELAY=500;RETENTION_TIME=1000;PAGE_SIZE=4096;QUERY_CACHE_SIZE=32;DB_CLOSE_ON_EXIT=FALSE";
        JdbcConnectionPool created = JdbcConnectionPool.create(url, "runtime", "");
        created.setMaxConnections(32);
        try (Connection connection = created.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS store_migrations ("
                    + "feature VARCHAR(100) PRIMARY KEY, version INT NOT NULL)");
        } catch (SQLException e) {
            created.dispose();
            throw new StoreException(e);
        }
        return created;
    }

    /** Closes the database (a no-op when it was never opened). */
    @Override
    public synchronized void close() {
        closed = true;
        synchronized (writerLock) {
            if (writer != null) {
                try {
                    writer.close();
                } catch (SQLException e) {
                    // closing anyway
                }
                writer = null;
            }
        }
        if (pool != null) {
            try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("SHUTDOWN");
            } catch (SQLException e) {
                // already closed: nothing to flush
            }
            pool.dispose();
            pool = null;
        }
    }

    /** Database work inside one transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** A database failure; the message names the SQL state, never data. */
    public static final class StoreException extends RuntimeException {
        StoreException(SQLException cause) {
            super("embedded store: " + cause.getMessage(), cause);
        }
    }
}
