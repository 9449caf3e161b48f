package io.wagateway.bench;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The highest RSS of a process, read from {@code /proc} every 200 ms until closed: what the
 * figures after a full collection do not show (a collector's or V8's heap before it shrinks).
 */
final class RssPeak implements AutoCloseable {

    private final AtomicLong peak;
    private final Thread sampler;

    RssPeak(long pid) {
        peak = new AtomicLong(ProcStats.rssBytes(pid));
        sampler = Thread.ofVirtual().name("rss-peak").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    peak.accumulateAndGet(ProcStats.rssBytes(pid), Math::max);
                    Thread.sleep(200); // a sampling period, nothing to await
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    return; // the process has ended
                }
            }
        });
    }

    /** @return the highest RSS seen so far, in bytes */
    long peak() {
        return peak.get();
    }

    @Override
    public void close() {
        sampler.interrupt();
    }
}
