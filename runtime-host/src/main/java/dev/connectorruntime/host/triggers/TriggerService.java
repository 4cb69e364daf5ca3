package dev.connectorruntime.host.triggers;

import dev.connectorruntime.spi.CallbackHook;
import dev.connectorruntime.spi.CallbackResult;
import dev.connectorruntime.spi.Connection;
import dev.connectorruntime.spi.Connector;
import dev.connectorruntime.spi.InboundEvent;
import dev.connectorruntime.spi.TriggerDescriptor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's side of triggers: the catalog of every connector's triggers, inbound callbacks (verified
 * by the connector's hook, stored, then acknowledged), retention, and in-process subscriptions.
 *
 * <p>A callback is acknowledged only after its events are durably in the {@link EventLog}; a resend or
 * replay finds its dedup key there and starts nothing. A rejected callback stores nothing and answers
 * 4xx with a reason code; each rejection is logged once (without request data) and counted in
 * {@code trigger.callbacks{outcome=rejected,reason=...}}.
 */
public final class TriggerService implements AutoCloseable {
    /** Largest callback body accepted; WeCom's encrypted messages are a few KiB. */
    public static final int MAX_BODY_BYTES = 64 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(TriggerService.class);

    private final List<Connector> connectors;
    private final Map<String, TriggerDescriptor> triggers = new LinkedHashMap<>();
    private final Function<String, Optional<Connection>> connections;
    private final Supplier<EventLog> logFactory;
    private final MeterRegistry meters;
    private final Duration retention;
    private final Clock clock;
    private final Timer ackTimer;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final List<Consumer<TriggerEvent>> listeners = new CopyOnWriteArrayList<>();
    private final Object newEvents = new Object();
    private volatile EventLog log;
    private volatile ScheduledExecutorService housekeeping;

    /**
     * @param connections connection name -> the connection, if configured
     * @param logFactory the event log, opened on first use (nothing is created before a callback or a
     *     subscriber); the host owns and closes it
     * @param retention how long stored events (and their dedup keys) are kept
     */
    public TriggerService(List<Connector> connectors, Function<String, Optional<Connection>> connections,
            Supplier<EventLog> logFactory, MeterRegistry meters, Duration retention, Clock clock) {
        this.connectors = List.copyOf(connectors);
        for (Connector connector : connectors) {
            connector.triggers().forEach(t -> triggers.putIfAbsent(t.id(), t));
        }
        this.connections = connections;
        this.logFactory = logFactory;
        this.meters = meters;
        this.retention = retention;
        this.clock = clock;
        this.ackTimer = Timer.builder("trigger.callback.ack").description("verify, decrypt, store and acknowledge one callback")
                .publishPercentiles(0.5, 0.99).register(meters);
    }

    /** Every trigger of every connector, in palette order. */
    public List<TriggerDescriptor> triggers() {
        return List.copyOf(triggers.values());
    }

    public Optional<TriggerDescriptor> trigger(String id) {
        return Optional.ofNullable(triggers.get(id));
    }

    /** The event log, opened on first use. */
    public EventLog log() {
        EventLog current = log;
        if (current != null) {
            return current;
        }
        synchronized (this) {
            if (log == null) {
                log = logFactory.get();
                startHousekeeping();
            }
            return log;
        }
    }

    /**
     * Handles one inbound callback to {@code /callbacks/{connection}/{kind}}.
     *
     * @param body the request body, or null when it was larger than {@link #MAX_BODY_BYTES}
     */
    public CallbackResponse receive(String connectionName, String kind, String method, Map<String, String> query, byte[] body) {
        long start = System.nanoTime();
        try {
            return handle(connectionName, kind, method, query, body);
        } finally {
            ackTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    private CallbackResponse handle(String connectionName, String kind, String method, Map<String, String> query, byte[] body) {
        if (body == null) {
            return reject(413, "too_large", null, kind);
        }
        Optional<Connection> connection = connectionName == null || connectionName.isBlank()
                ? Optional.empty() : connections.apply(connectionName);
        if (connection.isEmpty()) {
            return reject(404, "unknown_connection", null, kind);
        }
        Optional<CallbackHook> hook = hookFor(connection.get());
        if (hook.isEmpty()) {
            return reject(404, "unknown_kind", connectionName, kind);
        }
        CallbackResult result;
        try {
            result = hook.get().verify(connection.get(), kind, method, query, body);
        } catch (RuntimeException e) {
            // a hook must reject bad input, not throw; whatever it throws is still the caller's bad input
            return reject(400, "unreadable", connectionName, kind);
        }
        if (result instanceof CallbackResult.Rejected rejected) {
            int status = switch (rejected.reason()) {
                case "unknown_kind", "not_configured" -> 404;
                case "bad_signature", "bad_receiveid" -> 403;
                default -> 400;
            };
            return reject(status, rejected.reason(), connectionName, kind);
        }
        if (result instanceof CallbackResult.UrlVerification verification) {
            count("verified", "none");
            return CallbackResponse.text(verification.plaintextReply());
        }
        List<InboundEvent> events = ((CallbackResult.Events) result).events();
        if (events.isEmpty()) {
            count("unmatched", "none");
            return CallbackResponse.text(hook.get().acknowledgement());
        }
        List<TriggerEvent> stored = new ArrayList<>();
        try {
            for (InboundEvent event : events) {
                Optional<TriggerEvent> appended = log().append(connectionName + "\n" + event.dedupKey(),
                        event.triggerId(), connectionName, event.event());
                appended.ifPresentOrElse(stored::add, () -> count("duplicate", "none"));
            }
        } catch (RuntimeException e) {
            LOG.error("callback not stored (connection {}, kind {}): {}", connectionName, kind, e.getClass().getSimpleName());
            count("failed", "store");
            return CallbackResponse.rejected(503, "store_unavailable");
        }
        stored.forEach(e -> count("stored", "none"));
        if (!stored.isEmpty()) {
            synchronized (newEvents) {
                newEvents.notifyAll();
            }
            for (TriggerEvent event : stored) {
                listeners.forEach(l -> l.accept(event));
            }
        }
        return CallbackResponse.text(hook.get().acknowledgement());
    }

    /** Calls {@code listener} (on the receiving thread, keep it short) for each newly stored event. */
    public void onStored(Consumer<TriggerEvent> listener) {
        listeners.add(listener);
    }

    /** Waits up to {@code timeout} for an event stored after this call started or returns earlier when one is. */
    public void awaitNewEvents(Duration timeout) throws InterruptedException {
        synchronized (newEvents) {
            newEvents.wait(Math.max(1, timeout.toMillis()));
        }
    }

    /**
     * Calls {@code handler} with each event of {@code triggerId} on {@code connection} (null: any)
     * that matches {@code filter}, stored from now on, in store order, on one thread of its own. At
     * least once: a handler that throws gets the same event again.
     */
    public InProcessSubscription subscribe(String triggerId, String connection, EventFilter filter, Consumer<TriggerEvent> handler) {
        EventFilter where = new EventFilter(triggerId, connection, filter == null ? List.of() : filter.conditions());
        InProcessSubscription subscription = new InProcessSubscription(this, where, handler, log().lastSequence());
        subscription.start();
        return subscription;
    }

    private Optional<CallbackHook> hookFor(Connection connection) {
        String connectorId = connection.property("connector").map(n -> n.asText()).orElse(null);
        return connectors.stream()
                .filter(c -> connectorId == null || c.info().id().equals(connectorId) || connectors.size() == 1)
                .map(Connector::callbacks).flatMap(Optional::stream).findFirst();
    }

    private CallbackResponse reject(int status, String reason, String connection, String kind) {
        count("rejected", reason);
        LOG.warn("callback rejected: {} (connection {}, kind {})", reason, connection == null ? "?" : connection, printable(kind));
        return CallbackResponse.rejected(status, reason);
    }

    /** A URL segment for a log line: short and without control characters, so it cannot forge lines. */
    private static String printable(String value) {
        if (value == null) {
            return "?";
        }
        String cut = value.length() > 40 ? value.substring(0, 40) + "..." : value;
        return cut.replaceAll("[^A-Za-z0-9_.-]", "?");
    }

    private void count(String outcome, String reason) {
        counters.computeIfAbsent(outcome + "/" + reason, k -> Counter.builder("trigger.callbacks")
                .description("inbound callbacks by outcome").tag("outcome", outcome).tag("reason", reason).register(meters))
                .increment();
    }

    private void startHousekeeping() {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "trigger-retention");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                log.purgeOlderThan(clock.instant().minus(retention));
            } catch (RuntimeException e) {
                LOG.warn("event retention purge failed: {}", e.getClass().getSimpleName());
            }
        }, 0, 1, TimeUnit.HOURS);
        housekeeping = scheduler;
    }

    @Override
    public void close() {
        ScheduledExecutorService scheduler = housekeeping;
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        synchronized (newEvents) {
            newEvents.notifyAll();
        }
    }
}
