package dev.connectorruntime.host.http;

import io.javalin.http.Context;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Who is calling the API, and what they may do: the connections they may use and their {@link Scope}s.
 * Every request has one ({@link #of(Context)}); without configured keys it is {@link #UNRESTRICTED}.
 *
 * @param name the key's name (for logs; never the key), or {@code anonymous}
 * @param connections the connection names this caller may use; {@code *} allows every connection
 */
public record Caller(String name, Set<String> connections, Set<Scope> scopes) {
    static final String ALL_CONNECTIONS = "*";
    private static final String ATTRIBUTE = Caller.class.getName();

    /** The caller when no keys are configured: everything is allowed (loopback, or explicitly insecure). */
    public static final Caller UNRESTRICTED = new Caller("anonymous", Set.of(ALL_CONNECTIONS), EnumSet.allOf(Scope.class));
    /** A caller without a key on a server that has keys: only the open catalog endpoints. */
    public static final Caller ANONYMOUS = new Caller("anonymous", Set.of(), Set.of());

    public Caller {
        Objects.requireNonNull(name);
        connections = Set.copyOf(connections);
        scopes = scopes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(scopes));
    }

    /** The caller of this request, as the access filter identified it. */
    public static Caller of(Context ctx) {
        Caller caller = ctx.attribute(ATTRIBUTE);
        return caller == null ? ANONYMOUS : caller;
    }

    void attachTo(Context ctx) {
        ctx.attribute(ATTRIBUTE, this);
    }

    /** True when this caller may run actions on (or test, or see) the named connection. */
    public boolean mayUse(String connection) {
        return connections.contains(ALL_CONNECTIONS) || connections.contains(connection);
    }

    public boolean may(Scope scope) {
        return scopes.contains(scope);
    }

    /** Throws {@link AccessDenied} (answered 403) unless this caller has the scope. */
    public void require(Scope scope) {
        if (!may(scope)) {
            throw new AccessDenied("This API key may not " + switch (scope) {
                case WRITE -> "run actions that change state";
                case RAW_CALL -> "use the raw call";
                case TEST_CONNECTIONS -> "test connections";
                case MANAGE_CONNECTIONS -> "change connections";
            } + " (it lacks the scope '" + scope.fileName() + "')");
        }
    }

    /** Throws {@link AccessDenied} (answered 403) unless this caller may use the connection; never says whether it exists. */
    public void requireUse(String connection) {
        if (!mayUse(connection)) {
            throw new AccessDenied("This API key may not use the connection '" + connection + "'");
        }
    }

    /** The one connection this caller is limited to, if exactly one: it is the caller's default. */
    String onlyConnection() {
        return connections.size() == 1 && !connections.contains(ALL_CONNECTIONS) ? connections.iterator().next() : null;
    }
}
