package io.wagateway.plugins.baileys;

import io.wagateway.api.ActionException;
import io.wagateway.api.ActionException.Kind;
import io.wagateway.api.EngineContext;
import io.wagateway.api.EngineSession;
import io.wagateway.api.MessageStatus;
import io.wagateway.api.OutgoingMessage;
import io.wagateway.api.PluginException;
import io.wagateway.api.RetriableException;
import io.wagateway.api.StatusReason;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One WhatsApp account's connection, run as a Baileys socket inside the shared worker.
 *
 * <p>What it reports comes from the worker's events, read by {@link SessionEvents}; this class
 * decides, by its state, what of it reaches the {@link EngineContext}: {@link EngineContext#qrCode}
 * while linking, {@link EngineContext#connected} once open, {@link EngineContext#disconnected} by the
 * worker's reason ({@code LOGGED_OUT} also clears the stored credentials; {@code REPLACED} does not
 * make the host reconnect), message statuses ({@code SENT} from a send's reply, then the receipts),
 * and incoming messages ({@link EngineContext#messageReceived}). {@code creds} and {@code keys} go to the
 * session's {@link io.wagateway.api.CredentialStore} (see {@link BaileysCredentials}), restored with
 * the next start.
 *
 * <p>Action {@code pair} {@code {phoneNumber}}: while linking, asks WhatsApp for a pairing code to
 * type on the phone instead of scanning; returns {@code {code}}.
 *
 * <p>Deadlines: each blocking call the host makes ({@link #start()}, {@link #action}, {@link #stop()},
 * {@link #logout()}) waits for the worker at most its {@code call-timeout} (and {@code start-timeout}
 * for a launch), and never past the host's deadline less a margin ({@link CallDeadline}), so it
 * answers by itself (a retriable failure, an {@link ActionException}) before the host gives up on it,
 * and a stop's credential writes are drained while the host still takes them.
 *
 * <p>Threading: the host calls in one at a time. Worker events arrive on the worker's stdout
 * thread and are handled, in order, on this session's own serial thread, which also does every
 * credential write (they block on the host's storage). One lock guards the state; reports to the
 * context are made under it, after checking the session is still live, so once {@link #stop()} or
 * {@link #logout()} returned nothing more is reported.
 */
final class BaileysSession implements EngineSession, WorkerSupervisor.Client {

    private static final Logger LOG = Logger.getLogger(BaileysSession.class.getName());

    private final EngineContext context;
    private final BaileysSettings settings;
    private final WorkerSupervisor supervisor;
    private final SessionEvents events;
    private final String sessionId;
    /** The host's deadline for each of its calls into this session. */
    private final Duration hostTimeout;
    private final SerialQueue serial;
    private final ReentrantLock lock = new ReentrantLock();

    // Guarded by lock.
    private SessionState state = SessionState.NEW;
    private String reportedPhone;
    /** Set on logout and LOGGED_OUT: credential writes still queued are dropped. */
    private volatile boolean forget;

    BaileysSession(EngineContext context, BaileysSettings settings, WorkerSupervisor supervisor) {
        this.context = context;
        this.settings = settings;
        this.supervisor = supervisor;
        this.sessionId = context.sessionId();
        this.hostTimeout = context.callTimeout();
        this.events = new SessionEvents(this, context);
        this.serial = new SerialQueue(sessionId);
    }

    /**
     * Starts the worker when none runs, then the session's socket in it with the stored credentials.
     *
     * @throws PluginException (fatal) when Node.js is missing or too old, saying what to install, or
     *                         when the stored credentials are unreadable; a {@link RetriableException}
     *                         when the worker could not be started or did not accept the session
     *                         within {@code call-timeout}, or not before the host's deadline
     */
    @Override
    public void start() {
        CallDeadline deadline = CallDeadline.forHostCall(hostTimeout);
        lock.lock();
        try {
            if (state != SessionState.NEW) {
                throw new PluginException("Baileys session " + sessionId + " cannot start: it is " + state.description);
            }
            state = SessionState.STARTING;
        } finally {
            lock.unlock();
        }
        try {
            Worker worker = supervisor.attach(sessionId, this, deadline);
            if (deadline.passed()) {
                // The launch took the time: the host would give up on a start sent now.
                throw new WorkerException("the worker took too long to start (the gateway waits "
                        + hostTimeout.toMillis() + " ms for a start)", true);
            }
            startIn(worker, deadline.cap(settings.callTimeout()));
        } catch (RuntimeException e) {
            lock.lock();
            try {
                state = SessionState.ENDED;
            } finally {
                lock.unlock();
            }
            supervisor.detach(sessionId, this);
            if (e instanceof WorkerException w && w.fatal()) {
                throw new PluginException("Baileys session " + sessionId + " cannot start: " + w.getMessage()
                        + "; log the session out to link it anew", w);
            }
            if (e instanceof WorkerException w) {
                throw new RetriableException("Baileys session " + sessionId + " did not start: " + w.getMessage(), w);
            }
            throw e;
        }
    }

    /** Starts the socket in {@code worker} from what the store holds. Blocks up to {@code timeout}. */
    private void startIn(Worker worker, Duration timeout) {
        BaileysCredentials.Restored restored = BaileysCredentials.load(context.credentials(), sessionId);
        Map<String, Object> command = new LinkedHashMap<>();
        command.put("type", "start");
        command.put("sessionId", sessionId);
        command.put("creds", restored.creds());
        command.put("keys", restored.keys());
        worker.callAndWait(command, timeout);
        LOG.fine(() -> "Baileys session " + sessionId + " started in worker " + worker.pid() + " with "
                + (restored.creds() == null ? "no credentials" : restored.keys().size() + " stored key(s)"));
    }

    @Override
    public void stop() {
        close(false);
    }

    @Override
    public void logout() {
        close(true);
    }

    private void close(boolean logout) {
        CallDeadline deadline = CallDeadline.forHostCall(hostTimeout);
        SessionState was;
        lock.lock();
        try {
            was = state;
            if (was == SessionState.CLOSED) {
                return;
            }
            state = SessionState.CLOSED;
            if (logout) {
                forget = true;
            }
        } finally {
            lock.unlock();
        }
        // A session that never started has no socket: the worker's socket of this id belongs to another.
        Worker worker = was == SessionState.NEW ? null : supervisor.current();
        if (worker != null) {
            try {
                worker.callAndWait(Map.of("type", logout ? "logout" : "stop", "sessionId", sessionId),
                        deadline.cap(settings.callTimeout()));
            } catch (WorkerException e) {
                LOG.warning("Baileys session " + sessionId + ": " + (logout ? "logout" : "stop") + " in the worker failed: " + e.getMessage());
            }
        }
        supervisor.detach(sessionId, this);
        // Let the credential writes already queued finish while the host still takes them (it refuses
        // them once its deadline for this call passed), then take no more.
        serial.drain(deadline.cap(settings.callTimeout()));
        if (logout) {
            context.credentials().clear();
        }
    }

    /**
     * Hands the message to the worker and returns; its reply brings {@code SENT} or {@code FAILED}
     * (also when it does not come within {@code call-timeout}).
     *
     * @throws PluginException when the session is not connected or the worker is not running
     */
    @Override
    public void send(OutgoingMessage message) {
        lock.lock();
        try {
            if (state != SessionState.CONNECTED) {
                throw new PluginException("Baileys session " + sessionId + " cannot send message " + message.messageId()
                        + ": it is " + state.description);
            }
        } finally {
            lock.unlock();
        }
        Worker worker = supervisor.current();
        if (worker == null) {
            throw new PluginException("Baileys session " + sessionId + " cannot send message " + message.messageId()
                    + ": the worker is restarting");
        }
        String id = message.messageId();
        Map<String, Object> command = new LinkedHashMap<>();
        command.put("type", "send");
        command.put("sessionId", sessionId);
        command.put("messageId", id);
        command.put("to", message.to());
        command.put("text", message.text());
        worker.call(command, settings.callTimeout(), (reply, error) -> {
            // On the worker's stdout thread, before any later line: a receipt finds the id mapped.
            if (error == null && reply.get("waMessageId") instanceof String waId && !waId.isEmpty()) {
                events.sent(waId, id);
            }
            String failure = error == null ? null : "WhatsApp did not take the message: " + error.getMessage();
            onSerial(() -> report(() -> context.messageStatus(id, failure == null ? MessageStatus.SENT : MessageStatus.FAILED, failure)));
        });
    }

    @Override
    public Map<String, Object> action(String action, Map<String, Object> params) {
        CallDeadline deadline = CallDeadline.forHostCall(hostTimeout);
        Map<String, Object> p = params == null ? Map.of() : params;
        if (!"pair".equals(action)) {
            throw new ActionException(Kind.UNKNOWN_ACTION, "Unknown action '" + action + "'; the baileys engine knows pair");
        }
        lock.lock();
        try {
            if (state != SessionState.STARTING && state != SessionState.LINKING) {
                throw new ActionException(Kind.NOT_ALLOWED_NOW, "Cannot pair now: only a session that is linking can get a "
                        + "pairing code (the session is " + state.description + ")");
            }
        } finally {
            lock.unlock();
        }
        // Answered before the host's deadline: past it the host would fail the linking session instead.
        return PairingCode.request(supervisor, sessionId, p, deadline.cap(settings.callTimeout()));
    }

    // ---- the worker's side ----

    @Override
    public void onEvent(Map<String, Object> event) {
        onSerial(() -> events.handle(event));
    }

    @Override
    public void onWorkerRestarted(Worker worker) {
        onSerial(() -> {
            lock.lock();
            try {
                if (!state.live()) {
                    return;
                }
            } finally {
                lock.unlock();
            }
            try {
                // On the serial thread: every credential write of the old worker is stored by now.
                startIn(worker, settings.callTimeout()); // no host call waits for it
                LOG.info("Baileys session " + sessionId + " resumed in the restarted worker " + worker.pid());
            } catch (RuntimeException e) {
                report(() -> {
                    state = SessionState.ENDED;
                    context.failed("The restarted Baileys worker did not resume the session: " + e.getMessage(), e);
                });
            }
        });
    }

    @Override
    public void onWorkerUnavailable(PluginException failure) {
        onSerial(() -> report(() -> {
            state = SessionState.ENDED;
            context.failed(failure.getMessage(), failure);
        }));
    }

    private void onSerial(Runnable task) {
        serial.run(task);
    }

    /** Runs a report under the lock when the session is still live. */
    void report(Runnable fact) {
        lock.lock();
        try {
            if (state.live()) {
                fact.run();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs a credential write. The worker already uses what it reported, so a write that cannot be
     * stored (the host's database down) leaves the stored state behind the socket's: the session
     * fails, and the host's retry starts it again from what is stored. Dropped once the session is
     * logged out (by the host or from the phone).
     */
    void store(Runnable write) {
        if (forget) {
            return;
        }
        try {
            write.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Baileys session " + sessionId + ": storing credentials failed", e);
            report(() -> {
                state = SessionState.ENDED;
                context.failed("Could not store the session's credentials: " + e.getMessage(), e);
            });
            supervisor.detach(sessionId, this);
        }
    }

    /** A QR code to scan: the session is linking. */
    void linking(String qr, int attempt, Instant expiresAt) {
        report(() -> {
            state = SessionState.LINKING;
            context.qrCode(qr, attempt, expiresAt);
        });
    }

    /**
     * The connection opened; {@code phone} is null when the worker did not say whose it is. A reconnect
     * with the same account (after a worker restart) is not reported twice.
     */
    void opened(String phone, String name) {
        report(() -> {
            if (phone == null) {
                state = SessionState.ENDED;
                context.failed("WhatsApp opened the session but its phone number is unknown", null);
                return;
            }
            boolean again = state == SessionState.CONNECTED && phone.equals(reportedPhone);
            state = SessionState.CONNECTED;
            reportedPhone = phone;
            if (!again) {
                context.connected(phone, name);
            }
        });
    }

    /** WhatsApp closed the connection: the session has ended. */
    void closed(StatusReason reason) {
        if (reason == StatusReason.LOGGED_OUT) {
            boolean live;
            lock.lock();
            try {
                live = state.live();
            } finally {
                lock.unlock();
            }
            if (live) {
                // Unlinked from the phone: these credentials will never work again.
                forget = true;
                context.credentials().clear();
            }
        }
        report(() -> {
            state = SessionState.ENDED;
            context.disconnected(reason);
        });
        supervisor.detach(sessionId, this);
    }
}
