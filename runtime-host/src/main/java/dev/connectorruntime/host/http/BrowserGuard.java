package dev.connectorruntime.host.http;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Keeps web pages in an operator's browser from using the API: a request must name this server in
 * its {@code Host} (no DNS rebinding), a cross-origin request must come from an origin the operator
 * allowed (CORS preflights are answered here, explicitly), and API bodies must be JSON, so a page
 * cannot send a "simple" {@code text/plain} request that skips the preflight.
 */
final class BrowserGuard {
    private static final List<String> LOOPBACK_NAMES = List.of("localhost", "127.0.0.1", "::1", "[::1]");
    private static final String ALLOWED_HEADERS = "Authorization, Content-Type, X-Connection, Accept-Language";
    private static final String ALLOWED_METHODS = "GET, POST, PUT, DELETE";

    private final Set<String> hosts;
    private final Set<String> origins;
    private final List<String> bodyExemptPrefixes;

    /**
     * @param bindHost the interface the server listens on (a wildcard address allows every local address)
     * @param allowedHosts further host names the server is reached by (a proxy's, a DNS name)
     * @param allowedOrigins origins ({@code https://app.example.com}) whose pages may call the API
     * @param bodyExemptPrefixes paths whose bodies are not JSON by contract (WeCom's XML callbacks)
     */
    BrowserGuard(String bindHost, Collection<String> allowedHosts, Collection<String> allowedOrigins, List<String> bodyExemptPrefixes) {
        Set<String> names = new HashSet<>(LOOPBACK_NAMES);
        allowedHosts.forEach(h -> names.add(h.toLowerCase(Locale.ROOT)));
        names.add(bindHost.toLowerCase(Locale.ROOT));
        if (isWildcard(bindHost)) {
            names.addAll(localAddresses());
        }
        this.hosts = Set.copyOf(names);
        this.origins = Set.copyOf(allowedOrigins.stream().map(o -> o.toLowerCase(Locale.ROOT).replaceAll("/+$", "")).toList());
        this.bodyExemptPrefixes = List.copyOf(bodyExemptPrefixes);
    }

    void handle(Context ctx) {
        checkHost(ctx.header("Host"));
        String origin = ctx.header("Origin");
        boolean crossOrigin = origin != null && !sameOrigin(origin, ctx.header("Host"));
        if (crossOrigin && !origins.contains(origin.toLowerCase(Locale.ROOT))) {
            throw new HttpProblem(403, "ORIGIN_NOT_ALLOWED", "Requests from the origin " + origin
                    + " are not allowed (the server's --allow-origin names the origins whose pages may call it)");
        }
        if (crossOrigin) {
            ctx.header("Access-Control-Allow-Origin", origin);
            ctx.header("Vary", "Origin");
        }
        if (ctx.method() == HandlerType.OPTIONS) {
            if (crossOrigin) {
                ctx.header("Access-Control-Allow-Methods", ALLOWED_METHODS);
                ctx.header("Access-Control-Allow-Headers", ALLOWED_HEADERS);
                ctx.header("Access-Control-Max-Age", "600");
            }
            ctx.header("Allow", ALLOWED_METHODS + ", OPTIONS");
            ctx.status(204);
            ctx.skipRemainingHandlers();
            return;
        }
        checkBody(ctx);
    }

    private void checkHost(String host) {
        if (host == null) {
            return; // HTTP/1.0 without Host: no browser sends that
        }
        String name = hostName(host);
        if (!hosts.contains(name)) {
            throw new HttpProblem(421, "HOST_NOT_ALLOWED", "This server does not answer for the host '" + name
                    + "' (its --allowed-host names the host names it is reached by)");
        }
    }

    private void checkBody(Context ctx) {
        HandlerType method = ctx.method();
        if (method != HandlerType.POST && method != HandlerType.PUT && method != HandlerType.PATCH) {
            return;
        }
        String path = ctx.path();
        if (!path.startsWith("/api/") || bodyExemptPrefixes.stream().anyMatch(path::startsWith)) {
            return;
        }
        String problem = ContentTypes.jsonProblem(ctx.header("Content-Type"));
        if (problem != null) {
            throw new HttpProblem(415, "UNSUPPORTED_MEDIA_TYPE", problem);
        }
    }

    static String hostName(String hostHeader) {
        String host = hostHeader.strip().toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end < 0 ? host : host.substring(0, end + 1);
        }
        int colon = host.lastIndexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }

    private static boolean sameOrigin(String origin, String host) {
        int scheme = origin.indexOf("://");
        return host != null && scheme > 0 && origin.substring(scheme + 3).equalsIgnoreCase(host.strip());
    }

    private static boolean isWildcard(String bindHost) {
        return bindHost.equals("0.0.0.0") || bindHost.equals("::") || bindHost.equals("[::]");
    }

    private static Set<String> localAddresses() {
        Set<String> names = new HashSet<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    String text = address.getHostAddress().toLowerCase(Locale.ROOT);
                    int zone = text.indexOf('%');
                    text = zone < 0 ? text : text.substring(0, zone);
                    names.add(text.contains(":") ? "[" + text + "]" : text);
                }
            }
        } catch (SocketException e) {
            // no interfaces listed: loopback names and --allowed-host still work
        }
        return names;
    }
}
