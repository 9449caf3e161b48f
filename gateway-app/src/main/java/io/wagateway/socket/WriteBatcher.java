package io.wagateway.socket;

import com.corundumstudio.socketio.Transport;
import com.corundumstudio.socketio.handler.ClientHead;
import com.corundumstudio.socketio.messages.OutPacketMessage;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoop;
import io.netty.util.AttributeKey;
import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Writes the packets queued for websocket clients in batches: one task per event loop drains
 * every channel that has something waiting, writes it all (one {@link OutPacketMessage} per
 * channel) and flushes each channel once. Whatever is queued while a drain waits for its turn
 * goes out with it, so under load one write and one flush per client carries many events, and
 * when idle an event goes out at once (or after {@code gateway.socketio.flush-interval}, when set,
 * so that events coming often share writes on purpose). Events published together, in a
 * {@link #holding} (one database commit's), wait for the last of them. A channel is in a drain at
 * most once at a time.
 *
 * <p>After each flush a client whose unsent bytes exceed the limit is closed, with the reason
 * logged: a client that reads too slowly cannot make the gateway hold its events without bound.
 */
final class WriteBatcher {

    private static final Logger LOG = Logger.getLogger(WriteBatcher.class.getName());
    private static final AttributeKey<Boolean> PENDING = AttributeKey.valueOf("gateway.writePending");
    static final String LIMIT_KEY = "gateway.socketio.max-write-buffer-bytes";
    /** Channels one drain writes before it lets the event loop do its I/O and queues the rest as a new task. */
    static final int MAX_PER_DRAIN = 1024;

    private final Map<EventLoop, Lane> lanes = new ConcurrentHashMap<>();
    private final long maxPendingBytes;
    private final long flushIntervalNanos;
    private final AtomicLong slowDisconnects = new AtomicLong();
    /** The lanes a {@link #holding} on this thread has left to drain when it ends. */
    private final BurstHold<Lane> held = new BurstHold<>(Lane::startDrain);

    /**
     * @param maxPendingBytes unsent bytes past which a client is closed
     * @param flushInterval   how long a drain waits once scheduled (zero: not at all), so that more
     *                        events share its writes
     */
    WriteBatcher(long maxPendingBytes, Duration flushInterval) {
        this.maxPendingBytes = maxPendingBytes;
        this.flushIntervalNanos = flushInterval.toNanos();
    }

    /** Call after adding to the client's websocket packet queue; any thread. */
    void schedule(Channel channel, ClientHead client) {
        if (!channel.attr(PENDING).compareAndSet(null, Boolean.TRUE)) {
            return; // a drain to come will find what was just queued
        }
        lanes.computeIfAbsent(channel.eventLoop(), Lane::new).add(new Waiting(channel, client));
    }

    /**
     * Runs {@code publishing}; the drains the packets it queues (on this thread) call for wait until
     * it has returned, so a client gets one write for all of them, not one for the first and another
     * for those queued while that was written. Inside another holding, it only runs.
     */
    void holding(Runnable publishing) {
        held.run(publishing);
    }

    /** @return clients closed so far for reading too slowly */
    long slowDisconnects() {
        return slowDisconnects.get();
    }

    private record Waiting(Channel channel, ClientHead client) {
    }

    /** The channels of one event loop waiting for a drain. */
    private final class Lane {
        private final EventLoop loop;
        private final Queue<Waiting> waiting = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean scheduled = new AtomicBoolean();

        Lane(EventLoop loop) {
            this.loop = loop;
        }

        void add(Waiting w) {
            waiting.add(w);
            if (!held.hold(this)) {
                startDrain();
            }
        }

        void startDrain() {
            if (scheduled.compareAndSet(false, true)) {
                try {
                    if (flushIntervalNanos > 0) {
                        loop.schedule(this::drain, flushIntervalNanos, TimeUnit.NANOSECONDS);
                    } else {
                        loop.execute(this::drain);
                    }
                } catch (RejectedExecutionException e) {
                    scheduled.set(false); // the server is stopping: its clients are going anyway
                }
            }
        }

        /** On the event loop; at most {@link #MAX_PER_DRAIN} channels, then the loop's I/O gets its turn. */
        private void drain() {
            scheduled.set(false);
            for (int n = 0; n < MAX_PER_DRAIN; n++) {
                Waiting w = waiting.poll();
                if (w == null) {
                    break;
                }
                // Cleared before the queue is read: a packet queued from now on schedules again.
                w.channel().attr(PENDING).set(null);
                if (w.channel().isActive()) {
                    write(w.channel(), w.client());
                }
            }
            if (!waiting.isEmpty() && scheduled.compareAndSet(false, true)) {
                loop.execute(this::drain); // a publisher faster than the drain must not starve reads and pings
            }
        }
    }

    /** On the channel's event loop: everything queued for the client, one flush, then the limit. */
    private void write(Channel channel, ClientHead client) {
        channel.write(new OutPacketMessage(client, Transport.WEBSOCKET));
        channel.flush();
        ChannelOutboundBuffer unsent = channel.unsafe().outboundBuffer();
        long pending = unsent == null ? 0 : unsent.totalPendingWriteBytes();
        if (pending > maxPendingBytes) {
            LOG.warning(() -> "Closed the Socket.IO connection of client " + client.getSessionId() + " ("
                    + channel.remoteAddress() + "): " + pending + " bytes not yet taken by the client, over "
                    + LIMIT_KEY + " = " + maxPendingBytes + "; it reads too slowly");
            channel.close();
            slowDisconnects.incrementAndGet(); // after the log line: whoever sees the count finds the reason
        }
    }
}
