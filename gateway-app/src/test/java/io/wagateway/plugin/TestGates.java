package io.wagateway.plugin;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * Gates test plugins wait at: plugin code that does not return until a test opens its gate, and
 * ignores interrupts meanwhile, as the worst plugin would. Plugin classes reach it through their
 * class loader's parent (the test class path), so it is public.
 */
public final class TestGates {

    private static final Map<String, CountDownLatch> GATES = new ConcurrentHashMap<>();

    private TestGates() {
    }

    /** Records {@code entered:<gate>} in the {@link TestInbox}, waits until the gate is open, then records {@code left:<gate>}. */
    public static void pass(String gate) {
        TestInbox.record("entered:" + gate);
        CountDownLatch latch = GATES.computeIfAbsent(gate, name -> new CountDownLatch(1));
        boolean interrupted = false;
        while (latch.getCount() > 0) {
            try {
                latch.await();
            } catch (InterruptedException e) {
                interrupted = true; // deaf to it, on purpose
            }
        }
        TestInbox.record("left:" + gate);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    static void open(String gate) {
        GATES.computeIfAbsent(gate, name -> new CountDownLatch(1)).countDown();
    }

    /** Lets every waiting plugin go, so no test leaves a thread behind; gates close again for the next test. */
    static void openAll() {
        GATES.values().forEach(CountDownLatch::countDown);
        GATES.clear();
    }
}
