package dev.connectorruntime.host.http;

import io.javalin.http.Context;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Identifies the {@link Caller} of every request from its bearer key, and refuses, when keys are
 * configured, any request without one except to the open paths: the catalog a designer reads
 * (actions, triggers, their schemas, validation), health, the designer page, and routes that authenticate by
 * other means (WeCom's signed callbacks). Everything else is closed by default.
 */
final class AccessFilter {
    /** Path prefixes open to callers without a key. */
    static final List<String> OPEN_PREFIXES = List.of(
            "/health", "/designer", "/webjars/", "/openapi.json", "/api/connectors", "/callbacks/");
    private static final Pattern CATALOG_READ = Pattern.compile("/api/(actions|triggers)(/[^/]+)?/?");
    private static final Pattern CATALOG_VALIDATE = Pattern.compile("/api/actions/[^/]+/validate/?");
    private static final String BEARER = "bearer ";

    private final ApiKeys keys;
    private final List<String> openPrefixes;

    AccessFilter(ApiKeys keys, List<String> openPrefixes) {
        this.keys = keys;
        this.openPrefixes = List.copyOf(openPrefixes);
    }

    void handle(Context ctx) {
        if (!keys.required()) {
            Caller.UNRESTRICTED.attachTo(ctx);
            return;
        }
        String header = ctx.header("Authorization");
        if (header == null || header.isBlank()) {
            Caller.ANONYMOUS.attachTo(ctx);
            if (!open(ctx)) {
                throw unauthorized(ctx, "An API key is required (Authorization: Bearer <key>)");
            }
            return;
        }
        // RFC 9110: the auth scheme is case-insensitive.
        String given = header.length() > BEARER.length() && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? header.substring(BEARER.length()).strip() : "";
        Caller caller = keys.find(given).orElseThrow(() -> unauthorized(ctx, "The API key is not valid"));
        caller.attachTo(ctx);
    }

    boolean open(Context ctx) {
        String path = ctx.path();
        if (openPrefixes.stream().anyMatch(path::startsWith) || "/".equals(path)) {
            return true;
        }
        String method = ctx.method().name().toUpperCase(Locale.ROOT);
        return ("GET".equals(method) || "HEAD".equals(method)) && CATALOG_READ.matcher(path).matches()
                || "POST".equals(method) && CATALOG_VALIDATE.matcher(path).matches();
    }

    static HttpProblem unauthorized(Context ctx, String detail) {
        ctx.header("WWW-Authenticate", "Bearer");
        return new HttpProblem(401, "UNAUTHORIZED", detail);
    }
}
