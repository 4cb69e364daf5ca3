package dev.connectorruntime.host.http;

import java.util.Arrays;
import java.util.Locale;

/** What an API key may do beyond reading through the connections it may use. */
public enum Scope {
    /** Run actions that change state (every action that is not safe to repeat). */
    WRITE,
    /** Run the raw call ({@code handler: raw_call}), which reaches any path with any secret kind: it implies writes. */
    RAW_CALL,
    /** Run connection tests ({@code gettoken} per configured secret). */
    TEST_CONNECTIONS,
    /** Add, replace and remove connections. */
    MANAGE_CONNECTIONS;

    /** The name used in the keys file: {@code write}, {@code raw-call}, {@code test-connections}, {@code manage-connections}. */
    public String fileName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The scope of a keys-file name; {@link IllegalArgumentException} naming the valid ones otherwise. */
    public static Scope fromFileName(String name) {
        return Arrays.stream(values()).filter(s -> s.fileName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown scope '" + name + "' (one of "
                        + Arrays.stream(values()).map(Scope::fileName).toList() + ")"));
    }
}
