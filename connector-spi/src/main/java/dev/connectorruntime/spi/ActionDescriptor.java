package dev.connectorruntime.spi;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One action: what it is, how it binds to HTTP, and its input and output JSON Schemas.
 *
 * <p>Read from a descriptor file ({@code schemas/<connector>/actions/<id>.json}) by Jackson
 * ({@link CatalogResources#descriptor}); the format is documented in {@code schemas/README.md} and
 * checked by {@code schemas/descriptor.schema.json}.
 *
 * @param credential the credential kind the action needs (one of its connector's
 *     {@link ConnectorInfo#credentials()}), {@value #ANY_CREDENTIAL} when any kind may call it, or
 *     {@value #NO_CREDENTIAL} for an endpoint that needs none
 * @param safeToRepeat true only when repeating the call cannot change anything (reads)
 * @param handler name of a connector's local handler, or null for a plain HTTP call
 * @param connectionDefaults input field -> connection property that fills it when absent
 * @param paging how to follow pages, or null when the action is not paged
 * @param options designer hints: input pointer -> the action that offers the field's choices
 * @param rateLimitPerMinute the upstream's documented limit for this method per tenant, or null
 * @param truncates limits the upstream applies by truncating: input pointer -> {@code maxLength} or
 *     {@code maxBytes} (null: none)
 * @param sendAs input pointer -> the JSON type the upstream wants it sent as (null: as given)
 * @param connectionDefaultsExcept connection default -> input values for which it is not filled (null: none)
 * @param source the descriptor as read, for {@code describe}
 */
public record ActionDescriptor(
        @JsonProperty(required = true) String id,
        @JsonProperty(required = true) String title,
        String titleEn,
        String description,
        @JsonProperty(required = true) String category,
        String docUrl,
        @JsonProperty(required = true) String credential,
        @JsonProperty(required = true) boolean safeToRepeat,
        String handler,
        @JsonProperty(required = true) HttpBinding http,
        Map<String, String> connectionDefaults,
        Paging paging,
        ObjectNode options,
        Integer rateLimitPerMinute,
        ObjectNode truncates,
        ObjectNode sendAs,
        ObjectNode connectionDefaultsExcept,
        @JsonProperty(required = true) ObjectNode input,
        @JsonProperty(required = true) ObjectNode output,
        List<Example> examples,
        ObjectNode source) {

    /** {@link #credential()} of an action any configured credential kind may call. */
    public static final String ANY_CREDENTIAL = "any";
    /** {@link #credential()} of an action that sends no credential. */
    public static final String NO_CREDENTIAL = "none";

    public ActionDescriptor {
        Objects.requireNonNull(id, "id is missing");
        Objects.requireNonNull(title, "title is missing");
        Objects.requireNonNull(category, "category is missing");
        Objects.requireNonNull(credential, "credential is missing");
        Objects.requireNonNull(http, "http is missing");
        Objects.requireNonNull(input, "input is missing");
        Objects.requireNonNull(output, "output is missing");
        connectionDefaults = connectionDefaults == null ? Map.of() : Map.copyOf(connectionDefaults);
        options = options == null ? JsonNodeFactory.instance.objectNode() : options;
        examples = examples == null ? List.of() : List.copyOf(examples);
    }

    /** The same action with {@code value} as the descriptor it was read from. */
    public ActionDescriptor withSource(ObjectNode value) {
        return new ActionDescriptor(id, title, titleEn, description, category, docUrl, credential, safeToRepeat, handler,
                http, connectionDefaults, paging, options, rateLimitPerMinute, truncates, sendAs, connectionDefaultsExcept, input, output,
                examples, value);
    }

    /** The same action calling {@code method} at {@code path} with the {@code kind} credential; never safe to repeat. */
    public ActionDescriptor forRawCall(String kind, HttpMethod method, String path) {
        return new ActionDescriptor(id, title, titleEn, description, category, docUrl, kind, false, handler,
                new HttpBinding(method, path, null, null, null, null, null, null), Map.of(), null, options, rateLimitPerMinute,
                null, null, null, input, output, examples, source);
    }

    /** A complete example input. */
    public record Example(String title, @JsonProperty(required = true) JsonNode input) {}

    /**
     * How to follow the pages of a paged read.
     *
     * @param items the output field holding the page's items
     * @param cursorParam for {@link PagingStyle#CURSOR}: the input field the next cursor goes to
     * @param nextCursorField for {@link PagingStyle#CURSOR}: the output field holding the next cursor
     * @param offsetParam for {@link PagingStyle#OFFSET}: the input field of the offset
     */
    public record Paging(
            @JsonProperty(required = true) PagingStyle style,
            @JsonProperty(required = true) String items,
            String cursorParam,
            String nextCursorField,
            String offsetParam,
            String limitParam,
            Integer maxLimit) {

        public Paging {
            Objects.requireNonNull(style, "paging.style is missing");
            Objects.requireNonNull(items, "paging.items is missing");
            if (style == PagingStyle.CURSOR && (cursorParam == null || nextCursorField == null)) {
                throw new IllegalArgumentException("paging style 'cursor' needs cursorParam and nextCursorField");
            }
            if (style == PagingStyle.OFFSET && offsetParam == null) {
                throw new IllegalArgumentException("paging style 'offset' needs offsetParam");
            }
        }
    }
}
