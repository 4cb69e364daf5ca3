package dev.connectorruntime.spi;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How the input fields that go in the body are encoded. */
public enum BodyStyle {
    /** {@code application/json}: one object of the fields. */
    @JsonProperty("json") JSON,
    /** {@code application/x-www-form-urlencoded}: one pair per field (objects and arrays as JSON text). */
    @JsonProperty("form") FORM,
    /** {@code multipart/form-data}: one file part, as {@link HttpBinding.Multipart} says. */
    @JsonProperty("multipart") MULTIPART,
    /** No body: the fields a body would carry go to the query string. */
    @JsonProperty("none") NONE
}
