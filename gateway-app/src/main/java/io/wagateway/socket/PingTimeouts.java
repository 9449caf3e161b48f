package io.wagateway.socket;

import com.corundumstudio.socketio.scheduler.CancelableScheduler;
import com.corundumstudio.socketio.scheduler.SchedulerKey;
import io.netty.channel.ChannelHandlerContext;
import io.wagateway.http.LogThrottle;
import java.time.Duration;
import java.time.InstantSource;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The clients netty-socketio drops because no pong came within {@code ping-interval} +
 * {@code ping-timeout}: it stopped answering, or it is so far behind its events that the ping
 * queued after them reached it too late. netty-socketio says so only in a debug record, and its
 * debug records cannot be turned on for that one: the same logger formats one for every poll.
 * So this watches the ping-timeout tasks themselves, through the scheduler they run on
 * ({@link #watch}), and makes each drop an {@code INFO} line (throttled: a network outage drops
 * many clients at once) and a count.
 *
 * <p>One per {@link SocketServer}. Thread-safe: the tasks run on netty-socketio's timer thread.
 */
final class PingTimeouts {

    private static final Logger LOG = Logger.getLogger(PingTimeouts.class.getName());
    private static final Duration LOG_INTERVAL = Duration.ofSeconds(10);

    private final LogThrottle lines;
    private final AtomicLong dropped = new AtomicLong();

    PingTimeouts(InstantSource clock) {
        this.lines = new LogThrottle(LOG, Level.INFO, LOG_INTERVAL, clock);
    }

    /**
     * @param scheduler the scheduler netty-socketio's handlers get
     * @param client    the client of a ping-timeout task's key, null for any other key
     * @param open      whether a client is still open
     * @return the scheduler to give them instead: the same, telling this of each ping timeout
     *     that finds its client open (netty-socketio's task then drops it)
     */
    CancelableScheduler watch(CancelableScheduler scheduler, Function<SchedulerKey, UUID> client, Predicate<UUID> open) {
        return new CancelableScheduler() {
            @Override
            public void schedule(SchedulerKey key, Runnable task, long delay, TimeUnit unit) {
                UUID id = client.apply(key);
                scheduler.schedule(key, id == null ? task : () -> {
                    boolean drops = open.test(id);
                    task.run();
                    if (drops) {
                        dropped(id);
                    }
                }, delay, unit);
            }

            @Override
            public void update(ChannelHandlerContext ctx) {
                scheduler.update(ctx);
            }

            @Override
            public void cancel(SchedulerKey key) {
                scheduler.cancel(key);
            }

            @Override
            public void scheduleCallback(SchedulerKey key, Runnable task, long delay, TimeUnit unit) {
                scheduler.scheduleCallback(key, task, delay, unit);
            }

            @Override
            public void schedule(Runnable task, long delay, TimeUnit unit) {
                scheduler.schedule(task, delay, unit);
            }

            @Override
            public void shutdown() {
                scheduler.shutdown();
            }
        };
    }

    private void dropped(UUID client) {
        dropped.incrementAndGet();
        lines.log(() -> "Dropped the Socket.IO client " + client + ": no pong within gateway.socketio.ping-interval"
                + " + ping-timeout (it stopped answering, or it reads so far behind its events that the ping came too late)");
    }

    /** @return clients dropped so far for not answering pings in time */
    long dropped() {
        return dropped.get();
    }
}
