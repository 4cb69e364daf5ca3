package dev.connectorruntime.host;

import java.util.Locale;

/**
 * Options of one call.
 *
 * @param connection the connection to use, or null for the default connection
 * @param locale the language of validation messages (Chinese by default)
 * @param pages whether to follow the pages of a paged action, and the caps
 */
public record ExecuteOptions(String connection, Locale locale, Pages pages) {
    public static final Locale DEFAULT_LOCALE = Locale.SIMPLIFIED_CHINESE;
    public static final ExecuteOptions DEFAULTS = new ExecuteOptions(null, DEFAULT_LOCALE, Pages.ONE);

    public ExecuteOptions {
        locale = locale == null ? DEFAULT_LOCALE : locale;
        pages = pages == null ? Pages.ONE : pages;
    }

    public ExecuteOptions(String connection, Locale locale) {
        this(connection, locale, Pages.ONE);
    }

    public ExecuteOptions withConnection(String name) {
        return new ExecuteOptions(name, locale, pages);
    }

    public ExecuteOptions withLocale(Locale value) {
        return new ExecuteOptions(connection, value, pages);
    }

    public ExecuteOptions withPages(Pages value) {
        return new ExecuteOptions(connection, locale, value);
    }

    /**
     * Paging of a paged action: by default one page, as the caller asked. With {@code follow}, every
     * page is fetched and the items merged, up to {@code maxItems} items and {@code maxPages} pages;
     * when a cap stops it, the output keeps the cursor (or offset) to go on from.
     */
    public record Pages(boolean follow, int maxItems, int maxPages) {
        public static final Pages ONE = new Pages(false, 0, 1);

        public static Pages all(int maxItems, int maxPages) {
            if (maxItems < 1 || maxPages < 1) {
                throw new IllegalArgumentException("maxItems and maxPages must be positive");
            }
            return new Pages(true, maxItems, maxPages);
        }
    }
}
