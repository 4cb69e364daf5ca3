package dev.connectorruntime.host;

import java.util.Locale;

/**
 * Options of one call.
 *
 * @param connection the connection to use, or null for the default connection
 * @param locale the language of validation messages (Chinese by default)
 */
public record ExecuteOptions(String connection, Locale locale) {
    public static final Locale DEFAULT_LOCALE = Locale.SIMPLIFIED_CHINESE;
    public static final ExecuteOptions DEFAULTS = new ExecuteOptions(null, DEFAULT_LOCALE);

    public ExecuteOptions {
        locale = locale == null ? DEFAULT_LOCALE : locale;
    }

    public ExecuteOptions withConnection(String name) {
        return new ExecuteOptions(name, locale);
    }

    public ExecuteOptions withLocale(Locale value) {
        return new ExecuteOptions(connection, value);
    }
}
