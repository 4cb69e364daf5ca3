package dev.connectorruntime.spi;

import java.util.List;
import java.util.Locale;

/**
 * A structured error: what went wrong, where, and what to do.
 *
 * @param code the kind of failure
 * @param message a readable summary
 * @param fieldErrors for {@link ErrorCode#INVALID_INPUT}: every broken rule
 * @param errcode the upstream error code, or null
 * @param errmsg the upstream error message, or null
 * @param hint what to do about it, or null
 * @param retryable whether the same call may succeed later unchanged
 */
public record ActionError(
        ErrorCode code,
        String message,
        List<FieldError> fieldErrors,
        Integer errcode,
        String errmsg,
        String hint,
        boolean retryable) {

    public ActionError {
        fieldErrors = fieldErrors == null ? List.of() : List.copyOf(fieldErrors);
    }

    public static ActionError of(ErrorCode code, String message) {
        return new ActionError(code, message, List.of(), null, null, null, false);
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
        return new ActionError(ErrorCode.INVALID_INPUT, summary + first, fieldErrors, null, null, null, false);
    }

    private static String withoutPointer(FieldError error) {
        String prefix = (error.pointer().isEmpty() ? "/" : error.pointer()) + ": ";
        return error.message().startsWith(prefix) ? error.rule() + error.message().substring(prefix.length()) : error.message();
    }

    public ActionError withRetryable(boolean value) {
        return new ActionError(code, message, fieldErrors, errcode, errmsg, hint, value);
    }
}
