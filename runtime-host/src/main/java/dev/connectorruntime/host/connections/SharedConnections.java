package dev.connectorruntime.host.connections;

import java.util.List;

/**
 * Managed connections shared by every host (on Redis): each change gets a version greater than any
 * before it, and every host reads the changes after the last version it saw.
 */
public interface SharedConnections {

    /** Stores {@code record} under {@code name} for every host; returns its version. */
    long publish(String name, String record);

    /** The latest change of each name changed after {@code version}, oldest first. */
    List<Change> changesAfter(long version);

    /** A name's latest record ({@code {"removed": ..., "settings": ..., "secrets": ...}}) and its version. */
    record Change(String name, long version, String record) {}
}
