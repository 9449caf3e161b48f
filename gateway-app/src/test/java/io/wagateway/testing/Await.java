package io.wagateway.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition with a deadline, polling: no fixed sleeps in tests. */
public final class Await {

    public static final Duration DEFAULT = Duration.ofSeconds(10);

    private Await() {
    }

    public static void until(String what, BooleanSupplier condition) {
        until(what, condition, () -> "");
    }

    /** @param state printed when the deadline passes, to see why */
    public static void until(String what, BooleanSupplier condition, Supplier<Object> state) {
        until(what, DEFAULT, condition, state);
    }

    /** @param patience how long to wait, for conditions that take longer than {@link #DEFAULT} on a busy machine */
    public static void until(String what, Duration patience, BooleanSupplier condition, Supplier<Object> state) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + patience + " waiting for " + what + "; state: " + state.get());
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted waiting for " + what, e);
            }
        }
    }
}
