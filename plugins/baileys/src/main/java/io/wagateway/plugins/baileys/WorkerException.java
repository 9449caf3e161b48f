package io.wagateway.plugins.baileys;

/**
 * A call into the worker failed: refused by the worker, not answered in time, or the worker ended.
 * The message says which, for administrators.
 */
final class WorkerException extends RuntimeException {

    private final boolean timedOut;
    private final boolean fatal;

    /** @param message what failed */
    WorkerException(String message) {
        this(message, false);
    }

    /**
     * @param message  what failed
     * @param timedOut whether the deadline passed without an answer
     */
    WorkerException(String message, boolean timedOut) {
        this(message, timedOut, false);
    }

    /**
     * @param message  what failed
     * @param timedOut whether the deadline passed without an answer
     * @param fatal    whether the worker said that trying again cannot help
     */
    WorkerException(String message, boolean timedOut, boolean fatal) {
        super(message);
        this.timedOut = timedOut;
        this.fatal = fatal;
    }

    /** @return whether the worker said that trying again cannot help (e.g. unreadable stored credentials) */
    boolean fatal() {
        return fatal;
    }

    /** @return whether the deadline passed without an answer */
    boolean timedOut() {
        return timedOut;
    }
}
