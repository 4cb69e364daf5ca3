package dev.connectorruntime.spi;

import java.util.List;
import java.util.Locale;

/**
 * A structured error: what went wrong, where, and what to do.
 *
 * @param code the kind of failure
 * @param message a readable summary
 * @param fieldErrors for {@link ErrorCode#INVALID_INPUT}: every broken rule
 * @param upstream what the upstream answered, when it answered with an error; else null
 * @param hint what to do about it, or null
 * @param retryable whether the same call may succeed later unchanged
 */
public record ActionError(
        ErrorCode code,
        String message,
        List<FieldError> fieldErrors,
        UpstreamError upstream,
        String hint,
        boolean retryable) {

    public ActionError {
        fieldErrors = fieldErrors == null ? List.of() : List.copyOf(fieldErrors);
    }

    public static ActionError of(ErrorCode code, String message) {
        return new ActionError(code, message, List.of(), null, null, false);
    }

    /** An error without field errors: {@code upstream} and {@code hint} may be null. */
    public static ActionError of(ErrorCode code, String message, UpstreamError upstream, String hint, boolean retryable) {
        return new ActionError(code, message, List.of(), upstream, hint, retryable);
    }

    public static ActionError invalidInput(List<FieldError> fieldErrors) {
        return invalidInput(fieldErrors, Locale.ENGLISH);
    }

    /**
     * Bad input, summarised in the caller's language (English for {@code en}, else Chinese). A rule
     * reported at several fields (one of mobile / email) counts once.
     */
    public static ActionError invalidInput(List<FieldError> fieldErrors, Locale locale) {
        long count = fieldErrors.stream().map(ActionError::withoutPointer).distinct().count();
        String first = fieldErrors.isEmpty() ? "" : ": " + fieldErrors.get(0).message();
        boolean english = locale != null && "en".equals(locale.getLanguage());
        String summary = english ? "Input is invalid (" + count + " error" + (count == 1 ? "" : "s") + ")"
                : "输入有误（" + count + " 处）";
        return new ActionError(ErrorCode.INVALID_INPUT, summary + first, fieldErrors, null, null, false);
    }

    private static String withoutPointer(FieldError error) {
        String prefix = (error.pointer().isEmpty() ? "/" : error.pointer()) + ": ";
        return error.message().startsWith(prefix) ? error.rule() + error.message().substring(prefix.length()) : error.message();
    }

    /** The upstream's error code, or null. */
    public String upstreamCode() {
        return upstream == null ? null : upstream.code();
    }

    public ActionError withRetryable(boolean value) {
        return new ActionError(code, message, fieldErrors, upstream, hint, value);
    }
}
