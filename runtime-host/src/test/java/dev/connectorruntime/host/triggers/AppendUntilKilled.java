package dev.connectorruntime.host.triggers;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.connectorruntime.host.store.EmbeddedStore;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;

/** Appends events from 8 threads and prints each key once its append returned, until the process is killed. */
public final class AppendUntilKilled {
    public static void main(String[] args) {
        EmbeddedStore store = new EmbeddedStore(Path.of(args[0]));
        EventLog log = new EmbeddedEventLog(store, Clock.systemUTC());
        ObjectMapper json = new ObjectMapper();
        AtomicInteger next = new AtomicInteger();
        PrintStream out = System.out;
        for (int t = 0; t < 8; t++) {
            new Thread(() -> {
                while (true) {
                    String key = "k" + next.incrementAndGet();
                    log.append(key, "t", "c", json.createObjectNode().put("key", key));
                    synchronized (out) {
                        out.println(key);
                        out.flush();
                    }
                }
            }).start();
        }
    }
}
