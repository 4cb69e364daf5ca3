package dev.connectorruntime.spi;

/**
 * One broken rule of the input.
 *
 * @param pointer JSON Pointer of the field ({@code ""} is the whole input)
 * @param rule the JSON Schema keyword broken ({@code required}, {@code maxLength} ...)
 * @param message a readable message naming the field and the rule
 */
public record FieldError(String pointer, String rule, String message) {}
