package io.wagateway.plugins.baileys;

/**
 * A call into the worker failed: refused by the worker, not answered in time, or the worker ended.
 * The message says which, for administrators.
 */
final class WorkerException extends RuntimeException {

    private final boolean timedOut;

    /** @param message what failed */
    WorkerException(String message) {
        this(message, false);
    }

    /**
     * @param message  what failed
     * @param timedOut whether the deadline passed without an answer
     */
    WorkerException(String message, boolean timedOut) {
        super(message);
        this.timedOut = timedOut;
    }

    /** @return whether the deadline passed without an answer */
    boolean timedOut() {
        return timedOut;
    }
}
