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
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * One WhatsApp account's connection, run as a Baileys socket inside the shared worker.
 *
 * <p>What it reports, from the worker's events:
 * <ul>
 *   <li>{@code qr} → {@link EngineContext#qrCode}, the raw string untouched, with its attempt and
 *       expiry (60 s for the first code, 20 s for each later one, as Baileys shows them);</li>
 *   <li>{@code connection open} → {@link EngineContext#connected} with {@code +<digits>} of the
 *       account's phone-number jid (never a LID) and its name; a reconnect with the same account
 *       (after a worker restart) is not reported twice;</li>
 *   <li>{@code connection close}, by the worker's reason: {@code LOGGED_OUT} (401) clears the stored
 *       credentials and reports {@link StatusReason#LOGGED_OUT}; {@code QR_TIMEOUT} (408 after the
 *       last QR code) reports {@link StatusReason#QR_TIMEOUT}; {@code REPLACED} (440, another client
 *       took over the credentials) reports {@link StatusReason#REPLACED}, which does not make the host
 *       reconnect; anything else reports {@link StatusReason#CONNECTION_LOST}, after which the host
 *       reconnects with its backoff. A 515 (restart required, normal right after a scan) never
 *       reaches here: the worker reconnects at once;</li>
 *   <li>{@code creds} and {@code keys} → the session's {@link io.wagateway.api.CredentialStore}
 *       (see {@link BaileysCredentials}), restored with the next start;</li>
 *   <li>a send's reply → {@code SENT} (Baileys' message id is kept beside ours), then
 *       {@code message-status} receipts → {@code DELIVERED}, {@code READ}, or {@code FAILED};</li>
 *   <li>{@code message-in} → an {@link InboundMessage} for {@link InboundMessages}, which hands it to
 *       {@link EngineContext#messageReceived}.</li>
 * </ul>
 *
 * <p>Action {@code pair} {@code {phoneNumber}}: while linking, asks WhatsApp for a pairing code to
 * type on the phone instead of scanning; returns {@code {code}}.
 *
 * <p>Threading: the host calls in one at a time. Worker events arrive on the worker's stdout
 * thread and are handled, in order, on this session's own serial thread, which also does every
 * credential write (they block on the host's storage). One lock guards the state; reports to the
 * context are made under it, after checking the session is still live, so once {@link #stop()} or
 * {@link #logout()} returned nothing more is reported.
 */
final class BaileysSession implements EngineSession, WorkerSupervisor.Client {

    private static final Logger LOG = Logger.getLogger(BaileysSession.class.getName());
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{4,19}");
    /** How many sent messages' Baileys ids are remembered for their receipts. */
    static final int MAX_TRACKED_MESSAGES = 10_000;

    private enum State {
        NEW("not started"),
        /** The worker runs the socket; no QR shown yet (reconnecting with credentials, or about to show one). */
        STARTING("connecting"),
        LINKING("waiting for a QR code scan"),
        CONNECTED("connected"),
        /** Ended on its own (logged out, QR timeout, lost, replaced, worker gone); awaits stop. */
        ENDED("disconnected"),
        /** Stopped or logged out by the host; reports nothing any more. */
        CLOSED("stopped");

        final String description;

        State(String description) {
            this.description = description;
        }

        boolean live() {
            return this == STARTING || this == LINKING || this == CONNECTED;
        }
    }

    private final EngineContext context;
    private final BaileysSettings settings;
    private final WorkerSupervisor supervisor;
    private final InboundMessages.Listener inbound;
    private final String sessionId;
    private final ExecutorService serial = Executors.newSingleThreadExecutor(
            Thread.ofVirtual().name("baileys-session-", 0).factory());
    private final ReentrantLock lock = new ReentrantLock();
    /** Baileys' message id → ours, for receipts; oldest forgotten first. */
    private final Map<String, String> sentIds = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > MAX_TRACKED_MESSAGES;
        }
    });

    // Guarded by lock.
    private State state = State.NEW;
    private String reportedPhone;
    /** Set on logout and LOGGED_OUT: credential writes still queued are dropped. */
    private volatile boolean forget;

    BaileysSession(EngineContext context, BaileysSettings settings, WorkerSupervisor supervisor, InboundMessages.Listener inbound) {
        this.context = context;
        this.settings = settings;
        this.supervisor = supervisor;
        this.inbound = inbound;
        this.sessionId = context.sessionId();
    }

    /**
     * Starts the worker when none runs, then the session's socket in it with the stored credentials.
     *
     * @throws PluginException (fatal) when Node.js is missing or too old, saying what to install, or
     *                         when the stored credentials are unreadable; a {@link RetriableException}
     *                         when the worker could not be started or did not accept the session
     *                         within {@code call-timeout}
     */
    @Override
    public void start() {
        lock.lock();
        try {
            if (state != State.NEW) {
                throw new PluginException("Baileys session " + sessionId + " cannot start: it is " + state.description);
            }
            state = State.STARTING;
        } finally {
            lock.unlock();
        }
        try {
            startIn(supervisor.attach(sessionId, this));
        } catch (RuntimeException e) {
            lock.lock();
            try {
                state = State.ENDED;
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

    /** Starts the socket in {@code worker} from what the store holds. Blocks up to {@code call-timeout}. */
    private void startIn(Worker worker) {
        BaileysCredentials.Restored restored = BaileysCredentials.load(context.credentials(), sessionId);
        Map<String, Object> command = new LinkedHashMap<>();
        command.put("type", "start");
        command.put("sessionId", sessionId);
        command.put("creds", restored.creds());
        command.put("keys", restored.keys());
        worker.callAndWait(command, settings.callTimeout());
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
        State was;
        lock.lock();
        try {
            was = state;
            if (was == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            if (logout) {
                forget = true;
            }
        } finally {
            lock.unlock();
        }
        // A session that never started has no socket: the worker's socket of this id belongs to another.
        Worker worker = was == State.NEW ? null : supervisor.current();
        if (worker != null) {
            try {
                worker.callAndWait(Map.of("type", logout ? "logout" : "stop", "sessionId", sessionId), settings.callTimeout());
            } catch (WorkerException e) {
                LOG.warning("Baileys session " + sessionId + ": " + (logout ? "logout" : "stop") + " in the worker failed: " + e.getMessage());
            }
        }
        supervisor.detach(sessionId, this);
        // Let the credential writes already queued finish (within the deadline), then take no more.
        serial.shutdown();
        try {
            if (!serial.awaitTermination(settings.callTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warning("Baileys session " + sessionId + ": credential writes still pending after "
                        + settings.callTimeout().toMillis() + " ms; dropped");
                serial.shutdownNow();
            }
        } catch (InterruptedException e) {
            serial.shutdownNow();
            Thread.currentThread().interrupt();
        }
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
            if (state != State.CONNECTED) {
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
                sentIds.put(waId, id);
            }
            String failure = error == null ? null : "WhatsApp did not take the message: " + error.getMessage();
            onSerial(() -> report(() -> context.messageStatus(id, failure == null ? MessageStatus.SENT : MessageStatus.FAILED, failure)));
        });
    }

    @Override
    public Map<String, Object> action(String action, Map<String, Object> params) {
        Map<String, Object> p = params == null ? Map.of() : params;
        if (!"pair".equals(action)) {
            throw new ActionException(Kind.UNKNOWN_ACTION, "Unknown action '" + action + "'; the baileys engine knows pair");
        }
        lock.lock();
        try {
            if (state != State.STARTING && state != State.LINKING) {
                throw new ActionException(Kind.NOT_ALLOWED_NOW, "Cannot pair now: only a session that is linking can get a "
                        + "pairing code (the session is " + state.description + ")");
            }
        } finally {
            lock.unlock();
        }
        if (!(p.get("phoneNumber") instanceof String phone) || !E164.matcher(phone).matches()) {
            throw new ActionException(Kind.INVALID_PARAMS,
                    "phoneNumber must be a string with a phone number in E.164 form, e.g. +6281234567890");
        }
        Worker worker = supervisor.current();
        if (worker == null) {
            throw new ActionException(Kind.NOT_ALLOWED_NOW, "Cannot pair now: the worker is restarting");
        }
        try {
            Map<String, Object> reply = worker.callAndWait(Map.of("type", "pair", "sessionId", sessionId, "phoneNumber", phone),
                    settings.callTimeout());
            if (reply.get("code") instanceof String code && !code.isBlank()) {
                return Map.of("code", code);
            }
            throw new ActionException(Kind.NOT_ALLOWED_NOW, "WhatsApp gave no pairing code");
        } catch (WorkerException e) {
            throw new ActionException(Kind.NOT_ALLOWED_NOW, "Could not get a pairing code: " + e.getMessage());
        }
    }

    // ---- the worker's side ----

    @Override
    public void onEvent(Map<String, Object> event) {
        onSerial(() -> handle(event));
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
                startIn(worker);
                LOG.info("Baileys session " + sessionId + " resumed in the restarted worker " + worker.pid());
            } catch (RuntimeException e) {
                report(() -> {
                    state = State.ENDED;
                    context.failed("The restarted Baileys worker did not resume the session: " + e.getMessage(), e);
                });
            }
        });
    }

    @Override
    public void onWorkerUnavailable(PluginException failure) {
        onSerial(() -> report(() -> {
            state = State.ENDED;
            context.failed(failure.getMessage(), failure);
        }));
    }

    private void onSerial(Runnable task) {
        try {
            serial.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "Baileys session " + sessionId + ": handling a worker event failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.fine(() -> "Baileys session " + sessionId + ": event after stop ignored");
        }
    }

    /** Runs a report under the lock when the session is still live. */
    private void report(Runnable fact) {
        lock.lock();
        try {
            if (state.live()) {
                fact.run();
            }
        } finally {
            lock.unlock();
        }
    }

    /** One worker event, on the serial thread. Package-private for the tests of its mapping. */
    void handle(Map<String, Object> event) {
        String type = String.valueOf(event.get("type"));
        switch (type) {
            case "creds" -> {
                if (!forget && event.get("creds") instanceof String creds) {
                    store(() -> BaileysCredentials.saveCreds(context.credentials(), creds));
                }
            }
            case "keys" -> {
                if (!forget && event.get("set") instanceof List<?> set) {
                    store(() -> BaileysCredentials.saveKeys(context.credentials(), set));
                }
            }
            case "qr" -> qr(event);
            case "connection" -> connection(event);
            case "message-status" -> messageStatus(event);
            case "message-in" -> messageIn(event);
            default -> LOG.fine(() -> "Baileys session " + sessionId + ": ignored a '" + type + "' event");
        }
    }

    /**
     * Runs a credential write. The worker already uses what it reported, so a write that cannot be
     * stored (the host's database down) leaves the stored state behind the socket's: the session
     * fails, and the host's retry starts it again from what is stored.
     */
    private void store(Runnable write) {
        try {
            write.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Baileys session " + sessionId + ": storing credentials failed", e);
            report(() -> {
                state = State.ENDED;
                context.failed("Could not store the session's credentials: " + e.getMessage(), e);
            });
            supervisor.detach(sessionId, this);
        }
    }

    private void qr(Map<String, Object> event) {
        if (!(event.get("qr") instanceof String qr) || qr.isEmpty()) {
            LOG.warning("Baileys session " + sessionId + ": skipped a qr event without a code");
            return;
        }
        int attempt = event.get("attempt") instanceof Long a && a >= 1 && a <= Integer.MAX_VALUE ? a.intValue() : 1;
        Instant expiresAt = event.get("expiresAt") instanceof Long at ? Instant.ofEpochMilli(at)
                : Instant.now().plusMillis(attempt == 1 ? 60_000 : 20_000);
        report(() -> {
            state = State.LINKING;
            context.qrCode(qr, attempt, expiresAt);
        });
    }

    private void connection(Map<String, Object> event) {
        switch (String.valueOf(event.get("state"))) {
            case "open" -> {
                String phone = event.get("phoneNumber") instanceof String p && E164.matcher(p).matches() ? p : null;
                String name = event.get("displayName") instanceof String n && !n.isBlank() ? n : null;
                report(() -> {
                    if (phone == null) {
                        state = State.ENDED;
                        context.failed("WhatsApp opened the session but its phone number is unknown", null);
                        return;
                    }
                    boolean again = state == State.CONNECTED && phone.equals(reportedPhone);
                    state = State.CONNECTED;
                    reportedPhone = phone;
                    if (!again) {
                        context.connected(phone, name);
                    }
                });
            }
            case "close" -> closed(String.valueOf(event.get("reason")), event.get("statusCode"), event.get("error"));
            default -> {
                // "connecting": the host already shows CONNECTING.
            }
        }
    }

    private void closed(String workerReason, Object statusCode, Object error) {
        StatusReason reason = reasonFor(workerReason);
        LOG.info("Baileys session " + sessionId + " closed by WhatsApp (" + statusCode + ", " + error + "): " + reason);
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
            state = State.ENDED;
            context.disconnected(reason);
        });
        supervisor.detach(sessionId, this);
    }

    /**
     * @param workerReason the worker's reason for a close
     * @return what to report
     */
    static StatusReason reasonFor(String workerReason) {
        return switch (workerReason == null ? "" : workerReason) {
            case "LOGGED_OUT" -> StatusReason.LOGGED_OUT;
            case "QR_TIMEOUT" -> StatusReason.QR_TIMEOUT;
            case "REPLACED" -> StatusReason.REPLACED;
            default -> StatusReason.CONNECTION_LOST;
        };
    }

    private void messageStatus(Map<String, Object> event) {
        if (!(event.get("waMessageId") instanceof String waId)) {
            return;
        }
        String id = sentIds.get(waId);
        if (id == null) {
            LOG.fine(() -> "Baileys session " + sessionId + ": receipt for a message not sent by this session: " + waId);
            return;
        }
        MessageStatus status;
        try {
            status = MessageStatus.valueOf(String.valueOf(event.get("status")));
        } catch (IllegalArgumentException e) {
            LOG.warning("Baileys session " + sessionId + ": skipped a receipt with status " + event.get("status"));
            return;
        }
        if (status == MessageStatus.PENDING) {
            return;
        }
        String error = status == MessageStatus.FAILED
                ? (event.get("error") instanceof String s && !s.isBlank() ? s : "WhatsApp reported a delivery error") : null;
        report(() -> context.messageStatus(id, status, error));
    }

    private void messageIn(Map<String, Object> event) {
        InboundMessage message;
        try {
            message = InboundMessage.parse(event);
        } catch (IllegalArgumentException e) {
            LOG.warning("Baileys session " + sessionId + ": skipped an incoming message: " + e.getMessage());
            return;
        }
        report(() -> inbound.received(context, message));
    }
}
