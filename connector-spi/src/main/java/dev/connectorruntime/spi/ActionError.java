package dev.connectorruntime.spi;

import java.util.List;

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
        String first = fieldErrors.isEmpty() ? "" : ": " + fieldErrors.get(0).message();
        return new ActionError(ErrorCode.INVALID_INPUT,
                "Input is invalid (" + fieldErrors.size() + " error" + (fieldErrors.size() == 1 ? "" : "s") + ")" + first,
                fieldErrors, null, null, null, false);
    }

    public ActionError withRetryable(boolean value) {
        return new ActionError(code, message, fieldErrors, errcode, errmsg, hint, value);
    }
}
