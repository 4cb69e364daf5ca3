package dev.connectorruntime.wecom.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Faults the sandbox injects, per path (or {@code *}) and rate, for a number of requests or forever.
 * Told over HTTP: {@code POST /sandbox/faults {"path": "/cgi-bin/user/get", "kind": "errcode",
 * "errcode": -1, "times": 2}}.
 */
final class Faults {

    /** What goes wrong. */
    enum Kind {
        /** Delay the answer by {@code latencyMs}, then answer normally. */
        LATENCY,
        /** Answer {@code errcode} (-1, 45009, 45033 ...) without applying the request. */
        ERRCODE,
        /** Answer HTTP {@code status} (500, 502, 503) without applying the request. */
        HTTP_STATUS,
        /** Close the connection before reading the request: nothing applied, no answer. */
        DROP_BEFORE,
        /** Apply the request, then close the connection without answering. */
        DROP_AFTER,
        /** Apply the request, then answer with half of the JSON body. */
        TRUNCATE,
        /** Revoke the caller's token before handling the request (the answer is 40014). */
        REVOKE_TOKEN
    }

    record Rule(String path, Kind kind, double rate, AtomicInteger remaining, int errcode, int status, long latencyMs) {
        boolean matches(String requestPath) {
            return ("*".equals(path) || path.equals(requestPath)) && remaining.get() != 0;
        }
    }

    private final List<Rule> rules = new CopyOnWriteArrayList<>();

    void add(JsonNode spec) {
        Kind kind = Kind.valueOf(spec.path("kind").asText().toUpperCase(Locale.ROOT));
        rules.add(new Rule(spec.path("path").asText("*"), kind, spec.path("rate").asDouble(1.0),
                new AtomicInteger(spec.path("times").asInt(-1)), spec.path("errcode").asInt(-1),
                spec.path("status").asInt(503), spec.path("latencyMs").asLong(0)));
    }

    void clear() {
        rules.clear();
    }

    /** The fault for this request, if one fires; consumes one of its {@code times}. */
    Rule next(String path) {
        for (Rule rule : rules) {
            if (rule.matches(path) && ThreadLocalRandom.current().nextDouble() < rule.rate()) {
                int left = rule.remaining().getAndUpdate(n -> n > 0 ? n - 1 : n);
                if (left != 0) {
                    return rule;
                }
            }
        }
        return null;
    }
}
