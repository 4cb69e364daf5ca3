package dev.connectorruntime.host.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connectorruntime.host.format.ErrorJson;
import dev.connectorruntime.spi.ActionError;
import dev.connectorruntime.spi.ErrorCode;
import java.util.Locale;

/**
 * RFC 9457 problem details for the HTTP API: {@code type}, {@code title}, {@code status},
 * {@code detail}, plus the structured error under {@code error} (field pointers, errcode, errmsg, hint).
 */
final class Problems {
    static final String CONTENT_TYPE = "application/problem+json";
    private static final String TYPE_BASE = "https://connector-runtime.dev/problems/";

    private Problems() {}

    static int status(ErrorCode code) {
        return switch (code) {
            case INVALID_INPUT -> 422;
            case UNKNOWN_ACTION -> 404;
            case INVALID_CONNECTION, MISSING_CREDENTIAL -> 400;
            case RATE_LIMITED -> 429;
            case AUTH_FAILED, UPSTREAM_ERROR -> 502;
            case UPSTREAM_UNAVAILABLE -> 503;
            case OUTCOME_UNKNOWN -> 504;
            case INTERNAL_ERROR -> 500;
        };
    }

    static ObjectNode of(ActionError error) {
        ObjectNode problem = base(status(error.code()), error.code().name(), error.message());
        problem.set("error", ErrorJson.of(error));
        return problem;
    }

    /** A problem that is about HTTP itself (401, 413, 404 of a route ...). */
    static ObjectNode http(int status, String code, String detail) {
        return base(status, code, detail);
    }

    private static ObjectNode base(int status, String code, String detail) {
        ObjectNode problem = JsonNodeFactory.instance.objectNode();
        problem.put("type", TYPE_BASE + code.toLowerCase(Locale.ROOT).replace('_', '-'));
        problem.put("title", title(code));
        problem.put("status", status);
        problem.put("detail", detail);
        return problem;
    }

    private static String title(String code) {
        String words = code.toLowerCase(Locale.ROOT).replace('_', ' ');
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }
}
