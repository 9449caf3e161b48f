package io.wagateway.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wagateway.store.GroupCommit;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/** Holds a group commit's writer thread in a write, so that the next writes queue behind it. */
public final class HeldWriter {

    private HeldWriter() {
    }

    /** @return the latch that lets the held write end */
    public static CountDownLatch hold(GroupCommit group, ExecutorService callers) throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        callers.submit(() -> group.write(tx -> {
            running.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }));
        assertTrue(running.await(30, TimeUnit.SECONDS), "the writer took the first write");
        return release;
    }

    /** Waits until {@code n} writes are queued (at most 30 s). */
    public static void awaitQueued(GroupCommit group, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (group.queued() < n) {
            assertTrue(System.nanoTime() < deadline, "only " + group.queued() + " of " + n + " writes queued");
            Thread.sleep(1);
        }
    }
}
