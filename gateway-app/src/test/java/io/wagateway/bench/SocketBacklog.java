package io.wagateway.bench;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Samples, once a second, the bytes waiting in the TCP connections to a server's Socket.IO port
 * ({@link ProcStats#tcpQueues}) and keeps the peak of each phase: it tells whether events that
 * arrive late waited in the server or in the kernel's socket buffers for a load generator that
 * read behind. The server's own queues (netty-socketio's packet queues, Netty's unsent buffers)
 * are not in it: the gateway's are bounded by its write-buffer limit.
 */
final class SocketBacklog implements AutoCloseable {

    private static final long SAMPLE_MILLIS = 1000;

    private final int port;
    private final AtomicReference<ProcStats.TcpQueues> peak = new AtomicReference<>(ProcStats.TcpQueues.NONE);
    private final Thread sampler;

    SocketBacklog(int port) {
        this.port = port;
        this.sampler = Thread.ofPlatform().daemon().name("bench-socket-backlog").start(this::sample);
    }

    private void sample() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                ProcStats.TcpQueues now = ProcStats.tcpQueues(port);
                peak.accumulateAndGet(now, ProcStats.TcpQueues::max);
                Thread.sleep(SAMPLE_MILLIS); // the kernel gives no event for a queue's size: polled
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    /** @return the peaks since the last call (or the start), and starts over */
    ProcStats.TcpQueues takePeak() {
        return peak.getAndSet(ProcStats.TcpQueues.NONE);
    }

    @Override
    public void close() throws InterruptedException {
        sampler.interrupt();
        sampler.join();
    }
}
