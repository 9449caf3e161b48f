package io.wagateway.plugins.baileys;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One running worker process and its line protocol (see {@code PROTOCOL.md}): commands go to its
 * stdin as JSON lines, events come from its stdout, and its stderr is logged.
 *
 * <p>Every line carries {@code "v":1} and a {@code type}. A command with a {@code reqId} is a call:
 * the worker answers with a {@code reply} (or {@code pong}) of the same {@code reqId}; every call
 * has a deadline, after which its callback gets a {@link WorkerException}. Lines that are not JSON
 * objects of protocol version 1 are skipped, and logged by their length only, never their text.
 *
 * <p>Threading: {@link #call} and {@link #tell} may be used from any thread and never block: lines
 * are queued for the process's writer thread. Each process has two reader threads (stdout, stderr); events and call results are delivered on the stdout thread in
 * the order the worker wrote them, except timeouts (on the timer thread) and the exit (on the
 * stdout thread after its last line).
 *
 * <p>The writing is {@link StdinWriter}'s and the calls' bookkeeping {@link PendingCalls}'; this
 * class owns the process, reads its output and routes each line.
 */
final class Worker {

    private static final Logger LOG = Logger.getLogger(Worker.class.getName());
    /** Where the worker's stderr and {@code log} events go, by session. */
    static final Logger WORKER_LOG = Logger.getLogger("io.wagateway.plugins.baileys.worker");

    static final int PROTOCOL_VERSION = 1;
    /** Longest stdout line accepted; a longer one is skipped (a key batch is far shorter). */
    static final int MAX_LINE = 64 * 1024 * 1024;

    /** What the worker reports. */
    interface Listener {
        /**
         * An event that is not an answer to a call, on the worker's stdout thread.
         *
         * @param worker the worker
         * @param event  the parsed line, with {@code type} and usually {@code sessionId}
         */
        void onEvent(Worker worker, Map<String, Object> event);

        /**
         * The process ended (crashed, was killed, or closed); called once, after every pending call failed.
         *
         * @param worker   the worker
         * @param exitCode its exit code
         */
        void onExit(Worker worker, int exitCode);
    }

    private final Process process;
    private final Listener listener;
    private final StdinWriter stdin;
    private final PendingCalls calls;
    private final CompletableFuture<Map<String, Object>> ready = new CompletableFuture<>();
    private final AtomicBoolean exited = new AtomicBoolean();
    private final long pid;

    private Worker(Process process, Listener listener, ScheduledExecutorService timer) {
        this.process = process;
        this.listener = listener;
        this.pid = process.pid();
        this.stdin = new StdinWriter(pid, process.getOutputStream());
        this.calls = new PendingCalls(pid, timer);
    }

    /**
     * Starts reading a started process and waits for its {@code ready} line.
     *
     * @param process      the process, just started
     * @param listener     where events and the exit go
     * @param timer        runs call deadlines
     * @param readyTimeout how long the worker may take to say it is ready
     * @return the ready worker
     * @throws WorkerException when it is not ready in time or ends first; the process is then killed
     */
    static Worker attach(Process process, Listener listener, ScheduledExecutorService timer, Duration readyTimeout) {
        Worker worker = new Worker(process, listener, timer);
        Thread.ofPlatform().daemon().name("baileys-worker-" + worker.pid + "-out").start(worker::readStdout);
        Thread.ofPlatform().daemon().name("baileys-worker-" + worker.pid + "-err")
                .start(() -> WorkerLog.readStderr(worker.pid, worker.process.getErrorStream()));
        worker.stdin.start();
        try {
            worker.ready.get(readyTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return worker;
        } catch (java.util.concurrent.TimeoutException e) {
            worker.kill();
            throw new WorkerException("The Baileys worker (pid " + worker.pid + ") was not ready within " + readyTimeout.toMillis() + " ms");
        } catch (java.util.concurrent.ExecutionException e) {
            worker.kill();
            throw new WorkerException("The Baileys worker (pid " + worker.pid + ") ended before it was ready: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            worker.kill();
            Thread.currentThread().interrupt();
            throw new WorkerException("Interrupted while the Baileys worker started");
        }
    }

    /** @return the process id */
    long pid() {
        return pid;
    }

    /** @return whether the process still runs */
    boolean alive() {
        return !exited.get() && process.isAlive();
    }

    /** @return the process, for tests that watch it */
    Process process() {
        return process;
    }

    /**
     * Sends a command and calls {@code done} exactly once: with the reply (whose {@code ok} is true),
     * or with a {@link WorkerException} when the worker refused ({@code ok:false}), did not answer
     * within {@code timeout}, or ended first. {@code done} is registered before the command is written,
     * so it runs on the stdout thread before any later line of the worker is handled.
     *
     * @param command the command without {@code v} and {@code reqId}
     * @param timeout the deadline
     * @param done    the callback; must not block
     */
    void call(Map<String, Object> command, Duration timeout, BiConsumer<Map<String, Object>, WorkerException> done) {
        long reqId = calls.open(String.valueOf(command.get("type")), timeout, done);
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("v", PROTOCOL_VERSION);
        line.putAll(command);
        line.put("reqId", reqId);
        if (exited.get() || !write(Json.write(line))) {
            calls.fail(reqId, new WorkerException("The Baileys worker (pid " + pid + ") is not running"));
        }
    }

    /**
     * {@link #call} for a thread that may block: waits for the answer.
     *
     * @param command the command
     * @param timeout the deadline
     * @return the reply
     * @throws WorkerException when it was refused, timed out or the worker ended
     */
    Map<String, Object> callAndWait(Map<String, Object> command, Duration timeout) {
        CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
        call(command, timeout, (reply, error) -> {
            if (error != null) {
                answer.completeExceptionally(error);
            } else {
                answer.complete(reply);
            }
        });
        try {
            return answer.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw (WorkerException) e.getCause();
        }
    }

    /**
     * Sends a command that has no answer.
     *
     * @param command the command without {@code v}
     * @return false when the worker's stdin is closed
     */
    boolean tell(Map<String, Object> command) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("v", PROTOCOL_VERSION);
        line.putAll(command);
        return write(Json.write(line));
    }

    /** Writes a raw line, for tests that speak to a stub worker. */
    boolean writeRaw(String line) {
        return write(line);
    }

    private boolean write(String line) {
        return !exited.get() && stdin.offer(line);
    }

    /**
     * Ends the worker: closes its stdin (it then closes its sockets and exits), waits up to
     * {@code grace}, then kills it. Blocks at most {@code grace} plus a moment.
     *
     * @param grace how long it may take to exit by itself
     */
    void close(Duration grace) {
        stdin.closeAfterQueued();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warning("Baileys worker " + pid + " did not exit within " + grace.toMillis() + " ms of its stdin closing: killed");
                kill();
                process.waitFor(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            kill();
            Thread.currentThread().interrupt();
        }
    }

    /** Kills the process at once; its exit is reported as usual. */
    void kill() {
        process.destroyForcibly();
    }

    private void readStdout() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                handleLine(line);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "Baileys worker " + pid + ": reading its output failed", e);
        } finally {
            exited(waitForExit());
        }
    }

    private int waitForExit() {
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                // Closed its stdout but lives on: it is of no use any more.
                kill();
            }
            return process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
            return -1;
        }
    }

    private void exited(int exitCode) {
        if (!exited.compareAndSet(false, true)) {
            return;
        }
        ready.completeExceptionally(new WorkerException("exit code " + exitCode));
        stdin.end();
        calls.failAll(exitCode);
        try {
            listener.onExit(this, exitCode);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Baileys worker " + pid + ": exit listener failed", e);
        }
    }

    /** Handles one stdout line; package-private so the skipping of malformed lines is testable. */
    void handleLine(String line) {
        if (line.isBlank()) {
            return;
        }
        Map<String, Object> event;
        String malformed = null;
        if (line.length() > MAX_LINE) {
            malformed = "longer than " + MAX_LINE + " characters";
            event = null;
        } else {
            try {
                event = Json.parseObject(line);
            } catch (IllegalArgumentException e) {
                malformed = "not a JSON object"; // the parser's reason may quote the line
                event = null;
            }
        }
        if (event != null && !(event.get("v") instanceof Long v && v == PROTOCOL_VERSION)) {
            malformed = "not protocol version " + PROTOCOL_VERSION; // its "v" is no more to be trusted than the rest
        } else if (event != null && !(event.get("type") instanceof String)) {
            malformed = "no type";
        }
        if (malformed != null) {
            // Never the text: a line that is not the protocol's is what some library printed, and
            // libsignal prints whole Signal sessions, private keys included.
            LOG.warning("Baileys worker " + pid + ": skipped a malformed line (" + malformed + ", " + line.length()
                    + " characters; not shown: it may hold keys)");
            return;
        }
        String type = (String) event.get("type");
        switch (type) {
            case "ready" -> ready.complete(event);
            case "reply", "pong" -> calls.answer(event);
            case "log" -> WorkerLog.event(pid, event);
            default -> {
                try {
                    listener.onEvent(this, event);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "Baileys worker " + pid + ": handling a '" + type + "' event failed", e);
                }
            }
        }
    }
}
