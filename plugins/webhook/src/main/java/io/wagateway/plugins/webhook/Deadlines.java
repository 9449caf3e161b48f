package io.wagateway.plugins.webhook;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Makes a request's timeout a deadline for all of it (connect, TLS handshake, sending, reading the
 * whole answer), where a socket's read timeout bounds each read only: a receiver that drips its
 * answer a byte at a time would otherwise hold the request, its thread and its connection for as
 * long as it likes. A watchdog on one daemon thread closes the socket of a request that is past its
 * deadline, or whose thread was interrupted (the host giving the call up, which a blocked socket
 * read of a platform thread ignores), so whatever blocks on it fails at once. One per started sink;
 * {@link #close()} ends the requests still in flight too.
 */
final class Deadlines {

    /** How often a request in flight is checked (its deadline passed, its thread interrupted). */
    private static final long CHECK_MS = 100;

    private final ScheduledThreadPoolExecutor timer;
    private final Set<Deadline> inFlight = ConcurrentHashMap.newKeySet();

    Deadlines() {
        timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "webhook-deadlines");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        timer.setKeepAliveTime(30, TimeUnit.SECONDS);
        timer.allowCoreThreadTimeOut(true);
    }

    /**
     * Starts watching a request of the calling thread; end it with {@link Deadline#finish()}.
     *
     * @throws IOException when the thread is interrupted already, or the sink is stopped
     */
    Deadline start(Duration timeout) throws IOException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException(Deadline.INTERRUPTED);
        }
        Deadline d = new Deadline(timeout, Thread.currentThread());
        inFlight.add(d);
        try {
            d.check = timer.scheduleWithFixedDelay(d::check, CHECK_MS, CHECK_MS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            inFlight.remove(d);
            throw new IOException("The webhook sink is stopped");
        }
        return d;
    }

    /** Stops the watchdog and closes the connections of the requests still in flight. */
    void close() {
        timer.shutdownNow();
        for (Deadline d : inFlight) {
            d.expire(Deadline.STOPPED);
        }
    }

    /** The deadline of one request, and the socket it is using now. */
    final class Deadline {

        static final String INTERRUPTED = "Given up by the host (interrupted)";
        static final String STOPPED = "The webhook sink stopped";

        private final Duration timeout;
        private final long at;
        private final Thread owner;
        private volatile ScheduledFuture<?> check;
        private Socket socket;
        private String expired;
        private boolean finished;

        private Deadline(Duration timeout, Thread owner) {
            this.timeout = timeout;
            this.at = System.nanoTime() + timeout.toNanos();
            this.owner = owner;
        }

        /** From now on, passing the deadline closes {@code s} (the raw TCP socket, under any TLS). */
        synchronized void watch(Socket s) throws IOException {
            if (expired != null) {
                closeQuietly(s);
                throw failure(null);
            }
            socket = s;
        }

        /** @return the time left, for a connect or read timeout */
        int remainingMillis() throws IOException {
            long left = (at - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                expire(overMessage());
                throw failure(null);
            }
            return (int) Math.min(Integer.MAX_VALUE, left);
        }

        /**
         * Ends the watch (again is harmless).
         *
         * @return true when the request ended in time, its socket still open
         */
        boolean finish() {
            boolean inTime;
            synchronized (this) {
                finished = true;
                inTime = expired == null;
                socket = null;
            }
            ScheduledFuture<?> c = check;
            if (c != null) {
                c.cancel(false);
            }
            inFlight.remove(this);
            return inTime;
        }

        /** @return whether the request must end: past its deadline, interrupted, or the sink stopped */
        synchronized boolean over() {
            return expired != null || owner.isInterrupted() || System.nanoTime() - at >= 0;
        }

        /** @return what to report for {@code e}: the deadline's reason when it ended the request */
        IOException explain(IOException e) {
            return e instanceof SocketTimeoutException || over() ? failure(e) : e;
        }

        private synchronized IOException failure(IOException cause) {
            String why = expired != null ? expired : owner.isInterrupted() ? INTERRUPTED : overMessage();
            IOException f = why.equals(INTERRUPTED) ? new InterruptedIOException(why)
                    : why.equals(STOPPED) ? new IOException(why) : new SocketTimeoutException(why);
            if (cause != null) {
                f.initCause(cause);
            }
            return f;
        }

        private void check() {
            if (owner.isInterrupted()) {
                expire(INTERRUPTED);
            } else if (System.nanoTime() - at >= 0) {
                expire(overMessage());
            }
        }

        private synchronized void expire(String why) {
            if (finished || expired != null) {
                return;
            }
            expired = why;
            if (socket != null) {
                closeQuietly(socket);
            }
        }

        private String overMessage() {
            long ms = timeout.toMillis();
            return "No complete answer within " + (ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms");
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // Closing to end a request: nothing more to do.
        }
    }
}
