package dev.connectorruntime.spi;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How the input fields that go in the body are encoded. */
public enum BodyStyle {
    /** {@code application/json}: one object of the fields. */
    @JsonProperty("json") JSON,
    /**
     * {@code application/x-www-form-urlencoded}: one pair per field (an array of plain values one pair
     * per item; objects as JSON text).
     */
    @JsonProperty("form") FORM,
    /** {@code multipart/form-data}: one file part, as {@link HttpBinding.Multipart} says, and a text part per other field. */
    @JsonProperty("multipart") MULTIPART,
    /**
     * One field is the body, sent with {@link HttpBinding#contentType()}: its text as is for a
     * {@code text/*}, JSON or XML type, else decoded from base64 (a file).
     */
    @JsonProperty("raw") RAW,
    /** No body: the fields a body would carry go to the query string. */
    @JsonProperty("none") NONE
}
