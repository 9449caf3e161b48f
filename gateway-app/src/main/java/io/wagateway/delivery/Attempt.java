package io.wagateway.delivery;

/** What became of a claimed delivery, written back in one batch. */
sealed interface Attempt {

    long id();

    /** Delivered. */
    record Delivered(long id) implements Attempt {
    }

    /** Failed: dead, or retried at {@code nextAttemptAt}. */
    record Failed(long id, boolean dead, long nextAttemptAt, String error) implements Attempt {
    }

    /** Not attempted (an earlier delivery of its lane failed, or the worker stops): back to waiting. */
    record Released(long id) implements Attempt {
    }
}
