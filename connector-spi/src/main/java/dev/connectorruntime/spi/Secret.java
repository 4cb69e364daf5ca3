package dev.connectorruntime.spi;

import java.util.Objects;

/**
 * A secret or token value that never prints itself: {@link #toString()} is masked, so a secret
 * that slips into a log line, an exception or a JSON output shows as {@code ******}.
 */
public final class Secret {
    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    public static Secret of(String value) {
        return new Secret(value);
    }

    /** The real value: pass it only to the wire, never to a message. */
    public String reveal() {
        return value;
    }

    public boolean isBlank() {
        return value.isBlank();
    }

    @Override
    public String toString() {
        return "******";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret other && other.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
