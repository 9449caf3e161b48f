package io.wagateway.socket;

import com.corundumstudio.socketio.SocketIOClient;
import io.wagateway.auth.Principal;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What the gateway knows of one authenticated socket: who it is, its rooms, its rate limit, and
 * the queue that runs its join/leave work in the order the client sent it, off the I/O threads.
 */
final class SocketState {

    private static final Logger LOG = Logger.getLogger(SocketState.class.getName());
    private static final long NOTICE_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** What {@link #reserveRoom} found. */
    enum Reservation { NEW, ALREADY, FULL }

    /** What {@link #rate} decided for one client event. */
    enum Rate { ALLOWED, DROPPED, DROPPED_NOTIFY, ABUSIVE }

    private final SocketIOClient client;
    private final Principal principal;
    private final TokenBucket bucket;
    private final int abuseStrikes;
    private final AtomicBoolean greeted = new AtomicBoolean();
    private final Set<String> rooms = new HashSet<>();
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
    private int strikes;
    private long lastNotice = Long.MIN_VALUE;
    private volatile ScheduledFuture<?> expiry;
    private final AtomicBoolean closed = new AtomicBoolean();

    SocketState(SocketIOClient client, Principal principal, int eventsPerSecond, long nowNanos) {
        this.client = client;
        this.principal = principal;
        this.bucket = new TokenBucket(eventsPerSecond, nowNanos);
        // Sustained flooding (this many drops in a row, at least 5 s worth) ends the connection.
        this.abuseStrikes = Math.max(50, eventsPerSecond * 5);
    }

    SocketIOClient client() {
        return client;
    }

    Principal principal() {
        return principal;
    }

    /** @return true the first time only: {@code connected} is sent once per socket */
    boolean firstGreeting() {
        return greeted.compareAndSet(false, true);
    }

    synchronized Rate rate(long nowNanos) {
        if (bucket.tryTake(nowNanos)) {
            strikes = 0;
            return Rate.ALLOWED;
        }
        strikes++;
        if (strikes >= abuseStrikes) {
            // Once: the socket is being disconnected, later events are dropped silently.
            return strikes == abuseStrikes ? Rate.ABUSIVE : Rate.DROPPED;
        }
        // One error a second at most: a flood must not be answered by a flood.
        if (lastNotice == Long.MIN_VALUE || nowNanos - lastNotice >= NOTICE_INTERVAL_NANOS) {
            lastNotice = nowNanos;
            return Rate.DROPPED_NOTIFY;
        }
        return Rate.DROPPED;
    }

    /** Counts a room against the cap before the (slow) access check, so concurrent joins can't exceed it. */
    synchronized Reservation reserveRoom(String sessionId, int maxRooms) {
        if (rooms.contains(sessionId)) {
            return Reservation.ALREADY;
        }
        if (rooms.size() >= maxRooms) {
            return Reservation.FULL;
        }
        rooms.add(sessionId);
        return Reservation.NEW;
    }

    synchronized void releaseRoom(String sessionId) {
        rooms.remove(sessionId);
    }

    /** The rooms reserved now: joined, or being joined. */
    synchronized List<String> rooms() {
        return List.copyOf(rooms);
    }

    /** Runs {@code task} after this socket's earlier tasks, on {@code executor}. */
    synchronized void enqueue(Runnable task, Executor executor) {
        tail = tail.thenRunAsync(task, executor).exceptionally(e -> {
            LOG.log(Level.WARNING, "Socket task failed for user " + principal.userId(), e);
            return null;
        });
    }

    void expiry(ScheduledFuture<?> timer) {
        this.expiry = timer;
    }

    boolean isClosed() {
        return closed.get();
    }

    /**
     * The socket is gone or being ended: pending work sees it and its expiry timer stops.
     *
     * @return true for the first call only
     */
    boolean close() {
        if (!closed.compareAndSet(false, true)) {
            return false;
        }
        ScheduledFuture<?> timer = expiry;
        if (timer != null) {
            timer.cancel(false);
        }
        return true;
    }
}
