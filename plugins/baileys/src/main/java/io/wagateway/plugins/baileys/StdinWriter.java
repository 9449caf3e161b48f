package io.wagateway.plugins.baileys;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The only writer of a worker's stdin: lines are queued and written, in order, by one thread.
 *
 * <p>Why a thread of its own: a worker that stops reading its stdin (a blocked event loop fills the
 * pipe) then blocks only that thread, never a caller, the timer or a deadline; killing the process
 * unblocks it.
 */
final class StdinWriter {

    /** Worker's logger: these lines are the worker's. */
    private static final Logger LOG = Logger.getLogger(Worker.class.getName());
    /** Queued after the last line when stdin is to be closed; compared by identity. */
    private static final String CLOSE_STDIN = new String("close stdin");

    private final long pid;
    private final Writer stdin;
    private final LinkedBlockingQueue<String> outbox = new LinkedBlockingQueue<>();
    private final AtomicBoolean closing = new AtomicBoolean();

    StdinWriter(long pid, OutputStream stdin) {
        this.pid = pid;
        this.stdin = new OutputStreamWriter(stdin, StandardCharsets.UTF_8);
    }

    /** Starts the writer thread. */
    void start() {
        Thread.ofPlatform().daemon().name("baileys-worker-" + pid + "-in").start(this::run);
    }

    /**
     * Queues a line.
     *
     * @return false when stdin is being closed
     */
    boolean offer(String line) {
        if (closing.get()) {
            return false;
        }
        outbox.add(line);
        return true;
    }

    /** Closes stdin once every line already queued is written; later lines are refused. */
    void closeAfterQueued() {
        if (closing.compareAndSet(false, true)) {
            outbox.add(CLOSE_STDIN); // after every line already queued
        }
    }

    /** Ends the writer thread: the process is gone. */
    void end() {
        outbox.add(CLOSE_STDIN);
    }

    /** The writer thread: writes queued lines in order until stdin is to be closed or breaks. */
    private void run() {
        try {
            while (true) {
                String line = outbox.take();
                if (line == CLOSE_STDIN) {
                    break;
                }
                stdin.write(line);
                stdin.write('\n');
                if (outbox.isEmpty()) {
                    stdin.flush();
                }
            }
        } catch (IOException e) {
            LOG.log(Level.FINE, "Baileys worker " + pid + ": stdin closed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                stdin.close();
            } catch (IOException e) {
                LOG.log(Level.FINE, "Baileys worker " + pid + ": closing stdin failed", e);
            }
        }
    }
}
