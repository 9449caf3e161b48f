package io.wagateway.plugin;

/**
 * Why a jar is not running. Its message is what {@link PluginRecord#lastError()} shows: one line for
 * an administrator. The cause, when there is one, goes to the log only.
 */
final class PluginRefusedException extends Exception {

    private final PluginRecord.State state;
    private final boolean retryable;

    private PluginRefusedException(PluginRecord.State state, String message, boolean retryable, Throwable cause) {
        super(message, cause, false, false);
        this.state = state;
        this.retryable = retryable;
    }

    /** The jar itself is wrong: it stays refused until it changes. */
    static PluginRefusedException failed(String message, Throwable cause) {
        return new PluginRefusedException(PluginRecord.State.FAILED, message, false, cause);
    }

    /**
     * Refused because of another plugin (a dependency not loaded, an id or a name already taken): tried
     * again whenever plugins change.
     */
    static PluginRefusedException waiting(String message) {
        return new PluginRefusedException(PluginRecord.State.FAILED, message, true, null);
    }

    /** Turned off by the administrator; not an error. */
    static PluginRefusedException disabled() {
        return new PluginRefusedException(PluginRecord.State.DISABLED, null, false, null);
    }

    PluginRecord.State state() {
        return state;
    }

    boolean retryable() {
        return retryable;
    }
}
