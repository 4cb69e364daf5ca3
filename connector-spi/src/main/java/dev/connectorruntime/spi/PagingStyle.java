package dev.connectorruntime.spi;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a paged read says where the next page starts. */
public enum PagingStyle {
    /** The answer carries a cursor; the next request sends it back. */
    @JsonProperty("cursor") CURSOR,
    /** The next request skips the items read so far. */
    @JsonProperty("offset") OFFSET
}
