package dev.connectorruntime.host.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connectorruntime.host.ExecuteOptions;
import dev.connectorruntime.host.format.Json;
import dev.connectorruntime.spi.ActionDescriptor;
import dev.connectorruntime.spi.ActionException;
import dev.connectorruntime.spi.PagingStyle;
import java.util.function.BooleanSupplier;

/** Follows the pages of a paged action (cursor or offset, as its descriptor declares) and merges the items. */
final class PageFollower {

    /** Fetches one page for the given input. */
    @FunctionalInterface
    interface PageCall {
        JsonNode fetch(ObjectNode input) throws ActionException;
    }

    private PageFollower() {}

    /**
     * Fetches pages until the last one, a cap, or {@code inTime} says no further page may start; each
     * page is one call with its own budget.
     */
    static JsonNode follow(ActionDescriptor.Paging paging, ObjectNode input, ExecuteOptions.Pages caps, PageCall call,
                           BooleanSupplier inTime) throws ActionException {
        ObjectNode pageInput = input.deepCopy();
        ArrayNode items = Json.MAPPER.createArrayNode();
        ObjectNode last = null;
        long offset = paging.offsetParam() == null ? 0 : pageInput.path(paging.offsetParam()).asLong(0);
        for (int page = 1; ; page++) {
            last = (ObjectNode) call.fetch(pageInput).deepCopy();
            JsonNode pageItems = last.path(paging.items());
            pageItems.forEach(items::add);
            boolean capped = items.size() >= caps.maxItems() || page >= caps.maxPages() || !inTime.getAsBoolean();
            if (paging.style() == PagingStyle.CURSOR) {
                String next = last.path(paging.nextCursorField()).asText("");
                if (next.isEmpty() || capped) {
                    break;
                }
                pageInput.put(paging.cursorParam(), next);
            } else {
                if (pageItems.isEmpty()) {
                    break;
                }
                offset += pageItems.size();
                if (capped) {
                    last.put(paging.offsetParam(), offset);
                    break;
                }
                pageInput.put(paging.offsetParam(), offset);
            }
        }
        while (items.size() > caps.maxItems()) {
            items.remove(items.size() - 1);
        }
        last.set(paging.items(), items);
        return last;
    }
}
