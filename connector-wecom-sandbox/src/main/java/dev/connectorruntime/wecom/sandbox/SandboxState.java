package dev.connectorruntime.wecom.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sandbox's data: named collections of JSON objects keyed by id (users, departments, tags ...),
 * shared by every module so that what one action creates the others see. Guarded by the server:
 * routes run one at a time.
 */
final class SandboxState {
    private final Map<String, Map<String, ObjectNode>> collections = new HashMap<>();
    private final Map<String, Object> values = new HashMap<>();
    private final AtomicLong sequence = new AtomicLong(1000);
    private final List<Callback> callbacks = new ArrayList<>();
    private String corpId = "";

    /** A callback WeCom would send because of a write: its kind ({@code contact} ...) and XML. */
    record Callback(String kind, String xml) {}

    String corpId() {
        return corpId;
    }

    void corpId(String value) {
        corpId = value;
    }

    /** Queues the callback of a write; the server sends what a successful write queued, and drops it when the write failed. */
    void callback(String kind, String xml) {
        callbacks.add(new Callback(kind, xml));
    }

    /** The callbacks queued since the last call. */
    List<Callback> takeCallbacks() {
        List<Callback> taken = List.copyOf(callbacks);
        callbacks.clear();
        return taken;
    }

    /** The collection {@code name}, created empty on first use; iteration order is insertion order. */
    Map<String, ObjectNode> collection(String name) {
        return collections.computeIfAbsent(name, n -> new LinkedHashMap<>());
    }

    ObjectNode find(String collection, String id) {
        return collection(collection).get(id);
    }

    /** A module-specific value (a mode, a scope ...). */
    @SuppressWarnings("unchecked")
    <T> T get(String name, T fallback) {
        return (T) values.getOrDefault(name, fallback);
    }

    void put(String name, Object value) {
        values.put(name, value);
    }

    /** A fresh number for generated ids. */
    long nextId() {
        return sequence.incrementAndGet();
    }

    /** A fresh id with a prefix, e.g. {@code msg_1001}. */
    String nextId(String prefix) {
        return prefix + nextId();
    }

    void clear() {
        collections.clear();
        values.clear();
        sequence.set(1000);
    }
}
