package dev.connectorruntime.host.http;

import java.util.Locale;
import java.util.regex.Pattern;

/** Checks a request's {@code Content-Type} strictly: a JSON media type, well-formed parameters, UTF-8 only. */
final class ContentTypes {
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern JSON = Pattern.compile("application/(?:[a-z0-9.!#$&^_-]+\\+)?json");

    private ContentTypes() {}

    /** Null when the header names JSON in UTF-8 (or no charset); otherwise why not, for a 415. */
    static String jsonProblem(String header) {
        if (header == null || header.isBlank()) {
            return "The body must be JSON: send Content-Type: application/json";
        }
        String[] parts = header.split(";", -1);
        String type = parts[0].strip().toLowerCase(Locale.ROOT);
        if (!JSON.matcher(type).matches()) {
            return "The body must be JSON: send Content-Type: application/json (got '" + clip(header) + "')";
        }
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].strip();
            int equals = parameter.indexOf('=');
            if (equals <= 0 || !TOKEN.matcher(parameter.substring(0, equals).strip()).matches()) {
                return "Content-Type has a malformed parameter: '" + clip(header) + "'";
            }
            String name = parameter.substring(0, equals).strip().toLowerCase(Locale.ROOT);
            String value = parameter.substring(equals + 1).strip().replace("\"", "").toLowerCase(Locale.ROOT);
            if (name.equals("charset") && !value.equals("utf-8") && !value.equals("utf8")) {
                return "JSON bodies are UTF-8; the charset '" + clip(value) + "' is not accepted";
            }
        }
        return null;
    }

    private static String clip(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }
}
