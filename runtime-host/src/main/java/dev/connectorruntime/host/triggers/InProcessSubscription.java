package dev.connectorruntime.host.triggers;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Java subscription to trigger events ({@code host.subscribe}): follows the event log from a cursor on a thread of its own and hands each matching event to a Java
 * handler, in store order. A handler that throws gets the same event again after a pause (at least once).
 */
public final class InProcessSubscription implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InProcessSubscription.class);
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final TriggerService triggers;
    private final EventFilter where;
    private final Consumer<TriggerEvent> handler;
    private final Thread thread;
    private volatile boolean open = true;
    private long cursor;

    InProcessSubscription(TriggerService triggers, EventFilter where, Consumer<TriggerEvent> handler, long cursor) {
        this.triggers = triggers;
        this.where = where;
        this.handler = handler;
        this.cursor = cursor;
        this.thread = new Thread(this::run, "trigger-subscription-" + where.triggerId());
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        while (open) {
            try {
                List<TriggerEvent> events = triggers.log().read(cursor, where, 100);
                if (events.isEmpty()) {
                    triggers.awaitNewEvents(POLL);
                    continue;
                }
                for (TriggerEvent event : events) {
                    deliver(event);
                    cursor = event.sequence();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("subscription to {} could not read the event log: {}", where.triggerId(), e.getClass().getSimpleName());
                pause();
            }
        }
    }

    private void deliver(TriggerEvent event) throws InterruptedException {
        while (open) {
            try {
                handler.accept(event);
                return;
            } catch (RuntimeException e) {
                LOG.warn("subscriber of {} failed on event {}; retrying: {}", event.triggerId(), event.id(), e.getClass().getSimpleName());
                Thread.sleep(RETRY.toMillis());
            }
        }
        throw new InterruptedException("closed");
    }

    private void pause() {
        try {
            Thread.sleep(RETRY.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            open = false;
        }
    }

    /** Stops the subscription; no handler call starts after this returns. */
    @Override
    public void close() {
        open = false;
        thread.interrupt();
    }
}
