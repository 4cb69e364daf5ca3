package dev.connectorruntime.spi;

/** Carries an {@link ActionError} out of a hook or handler. Its message never holds a secret. */
public class ActionException extends Exception {
    private final ActionError error;

    public ActionException(ActionError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    public ActionError error() {
        return error;
    }
}
