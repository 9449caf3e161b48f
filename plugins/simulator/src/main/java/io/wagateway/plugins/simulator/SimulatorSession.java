package io.wagateway.plugins.simulator;

import io.wagateway.api.ActionException;
import io.wagateway.api.ActionException.Kind;
import io.wagateway.api.EngineContext;
import io.wagateway.api.EngineSession;
import io.wagateway.api.InboundMessage;
import io.wagateway.api.MessageStatus;
import io.wagateway.api.OutgoingMessage;
import io.wagateway.api.PluginException;
import io.wagateway.api.StatusReason;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One simulated WhatsApp connection.
 *
 * <p>Behaviour: with stored {@link SimulatorCredentials} it connects after {@code connect-delay};
 * otherwise it shows rotating QR codes until the {@code scan} action links it or the last QR
 * expires ({@code QR_TIMEOUT}). While connected, each sent message is acked {@code SENT},
 * {@code DELIVERED}, {@code READ} (or ends {@code FAILED}) after the configured delays.
 *
 * <p>Actions (names are case-sensitive):
 * <ul>
 *   <li>{@code scan} {@code {phoneNumber, displayName}}: while a QR is pending, links the account;
 *       returns {@code {linked: true, phoneNumber, displayName}}.</li>
 *   <li>{@code phone-logout}: while connected, the user unlinks the device on the phone; credentials
 *       are cleared and {@code LOGGED_OUT} reported. Returns {@code {loggedOut: true}}.</li>
 *   <li>{@code drop-connection}: while connected, the network drops ({@code CONNECTION_LOST});
 *       credentials are kept. Returns {@code {connectionDropped: true}}.</li>
 *   <li>{@code crash} {@code {message?}}: while starting, linking or connected, the engine fails
 *       ({@link EngineContext#failed}); credentials are kept. Returns {@code {crashed: true, message}}.</li>
 *   <li>{@code receive} {@code {from, text, fromName?}}: while connected, a text message from
 *       {@code from} (E.164) arrives in that contact's chat ({@code <digits>@s.whatsapp.net}) and is
 *       reported with {@link EngineContext#messageReceived}. Returns {@code {received: true, messageId, chatId}}.</li>
 * </ul>
 *
 * <p>Threading: the host calls in one at a time, while timers fire on the simulator's pool. One lock
 * guards all state, and every report to the {@link EngineContext} is made while holding it, after
 * checking that the timer is still wanted; so once {@link #stop()} or {@link #logout()} has
 * returned, no further report can be made. Reports are made under the lock because the context
 * promises to return quickly and never to block on the host.
 */
final class SimulatorSession implements EngineSession {

    private static final System.Logger LOG = System.getLogger(SimulatorSession.class.getName());

    /** Longest display name accepted by {@code scan}, in characters (code points). */
    static final int MAX_DISPLAY_NAME = 100;

    static final String DEFAULT_CRASH_MESSAGE = "Simulated engine crash";
    static final String INVALID_RECIPIENT = "Recipient is not a valid E.164 phone number";
    static final String SIMULATED_FAILURE = "Simulated delivery failure";
    /** Longest text accepted by {@code receive}, in characters: WhatsApp's own limit. */
    static final int MAX_TEXT = 65_536;

    private enum State {
        NEW("not started"),
        /** Reconnecting with stored credentials. */
        CONNECTING("connecting"),
        /** A QR code waits to be scanned. */
        LINKING("waiting for a QR code scan"),
        CONNECTED("connected"),
        /** Disconnected or failed on its own (QR timeout, phone logout, drop, crash); awaits stop. */
        ENDED("disconnected"),
        /** Stopped or logged out by the host; reports nothing any more. */
        CLOSED("stopped");

        final String description;

        State(String description) {
            this.description = description;
        }
    }

    private final EngineContext context;
    private final SimulatorSettings settings;
    private final ScheduledExecutorService scheduler;
    private final ReentrantLock lock = new ReentrantLock();

    // Guarded by lock.
    private State state = State.NEW;
    private final Set<Timer> timers = new HashSet<>();
    private QrCodes qrCodes;
    private int qrAttempt;
    private Instant qrExpiresAt;

    SimulatorSession(EngineContext context, SimulatorSettings settings, ScheduledExecutorService scheduler) {
        this.context = context;
        this.settings = settings;
        this.scheduler = scheduler;
    }

    @Override
    public void start() {
        lock.lock();
        try {
            if (state != State.NEW) {
                throw new PluginException("Simulator session " + context.sessionId() + " cannot start: it is " + state.description);
            }
            // Read on the host's thread: the store may block, and start() is allowed to.
            Optional<byte[]> stored = context.credentials().get(SimulatorCredentials.KEY);
            Optional<SimulatorCredentials> credentials = stored.flatMap(SimulatorCredentials::decode);
            if (stored.isPresent() && credentials.isEmpty()) {
                LOG.log(System.Logger.Level.WARNING, "Simulator session {0}: stored credentials are unreadable; linking anew",
                        context.sessionId());
            }
            if (credentials.isPresent()) {
                SimulatorCredentials c = credentials.get();
                state = State.CONNECTING;
                schedule(settings.connectDelay(), () -> {
                    state = State.CONNECTED;
                    context.connected(c.phoneNumber(), c.displayName());
                });
            } else {
                state = State.LINKING;
                qrCodes = QrCodes.newLinkingAttempt();
                showQr(1, Instant.now().plus(settings.qrFirstTtl()));
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void stop() {
        lock.lock();
        try {
            close();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void logout() {
        lock.lock();
        try {
            close();
            // Nothing to unlink remotely; forgetting the account is what a logout means here.
            context.credentials().clear();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void send(OutgoingMessage message) {
        lock.lock();
        try {
            if (state != State.CONNECTED) {
                throw new PluginException("Simulator session " + context.sessionId() + " cannot send message "
                        + message.messageId() + ": it is " + state.description);
            }
            String id = message.messageId();
            // Even a refusal comes later, as WhatsApp's server answers: never report inside send().
            if (!PhoneNumbers.isE164(message.to())) {
                schedule(settings.ackSentDelay(), () -> context.messageStatus(id, MessageStatus.FAILED, INVALID_RECIPIENT));
            } else if (ThreadLocalRandom.current().nextDouble() < settings.failureRate()) {
                schedule(settings.ackSentDelay(), () -> context.messageStatus(id, MessageStatus.FAILED, SIMULATED_FAILURE));
            } else {
                // Each ack is scheduled when the previous one is reported, so they can never overtake each other.
                schedule(settings.ackSentDelay(), () -> {
                    context.messageStatus(id, MessageStatus.SENT, null);
                    schedule(settings.ackDeliveredDelay(), () -> {
                        context.messageStatus(id, MessageStatus.DELIVERED, null);
                        schedule(settings.ackReadDelay(), () -> context.messageStatus(id, MessageStatus.READ, null));
                    });
                });
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Map<String, Object> action(String action, Map<String, Object> params) {
        Map<String, Object> p = params == null ? Map.of() : params;
        lock.lock();
        try {
            return switch (action == null ? "" : action) {
                case "scan" -> scan(p);
                case "phone-logout" -> phoneLogout();
                case "drop-connection" -> dropConnection();
                case "crash" -> crash(p);
                case "receive" -> receive(p);
                default -> throw new ActionException(Kind.UNKNOWN_ACTION, "Unknown action '" + action
                        + "'; the simulator knows scan, phone-logout, drop-connection, crash and receive");
            };
        } finally {
            lock.unlock();
        }
    }

    private Map<String, Object> scan(Map<String, Object> params) {
        requireState("scan", "no QR code is waiting to be scanned", State.LINKING);
        String phoneNumber = phoneNumber(params, "phoneNumber");
        String displayName = name(params, "displayName").orElseThrow(
                () -> new ActionException(Kind.INVALID_PARAMS, "displayName must be a non-empty string"));
        // Store first: if the host's storage fails, the session is still linking and the QR still valid.
        new SimulatorCredentials(phoneNumber, displayName).save(context.credentials());
        cancelTimers();
        qrCodes = null;
        state = State.CONNECTED;
        context.connected(phoneNumber, displayName);
        return Map.of("linked", true, "phoneNumber", phoneNumber, "displayName", displayName);
    }

    private Map<String, Object> phoneLogout() {
        requireState("phone-logout", "only a connected device can be unlinked", State.CONNECTED);
        context.credentials().clear();
        end();
        context.disconnected(StatusReason.LOGGED_OUT);
        return Map.of("loggedOut", true);
    }

    private Map<String, Object> dropConnection() {
        requireState("drop-connection", "there is no connection to drop", State.CONNECTED);
        end();
        context.disconnected(StatusReason.CONNECTION_LOST);
        return Map.of("connectionDropped", true);
    }

    private Map<String, Object> crash(Map<String, Object> params) {
        requireState("crash", "the engine is not running", State.CONNECTING, State.LINKING, State.CONNECTED);
        Object given = params.get("message");
        if (given != null && !(given instanceof String)) {
            throw new ActionException(Kind.INVALID_PARAMS, "message must be a string");
        }
        String message = given == null || ((String) given).isBlank() ? DEFAULT_CRASH_MESSAGE : ((String) given).strip();
        end();
        context.failed(message, null);
        return Map.of("crashed", true, "message", message);
    }

    private Map<String, Object> receive(Map<String, Object> params) {
        requireState("receive", "only a connected account receives messages", State.CONNECTED);
        String sender = phoneNumber(params, "from");
        if (!(params.get("text") instanceof String text) || text.isBlank()) {
            throw new ActionException(Kind.INVALID_PARAMS, "text must be a non-empty string");
        }
        if (text.length() > MAX_TEXT) {
            throw new ActionException(Kind.INVALID_PARAMS, "text must be at most " + MAX_TEXT + " characters");
        }
        if (params.get("fromName") != null && !(params.get("fromName") instanceof String)) {
            throw new ActionException(Kind.INVALID_PARAMS, "fromName must be a string");
        }
        String fromName = name(params, "fromName").orElse(null);
        // Shaped like WhatsApp's: 3EB0 and upper-case hex.
        String messageId = "3EB0" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase(Locale.ROOT);
        String chatId = sender.substring(1) + "@s.whatsapp.net";
        context.messageReceived(new InboundMessage(messageId, sender, fromName, chatId, text, "text",
                Instant.now().truncatedTo(ChronoUnit.MILLIS)));
        return Map.of("received", true, "messageId", messageId, "chatId", chatId);
    }

    /** @throws ActionException unless the parameter is a phone number in E.164 form */
    private static String phoneNumber(Map<String, Object> params, String key) {
        Object value = params.get(key);
        if (!PhoneNumbers.isE164(value)) {
            throw new ActionException(Kind.INVALID_PARAMS,
                    key + " must be a string with a phone number in E.164 form, e.g. +6281234567890");
        }
        return (String) value;
    }

    /**
     * A display name parameter: stripped, empty when absent or blank.
     *
     * @throws ActionException when it is longer than {@value #MAX_DISPLAY_NAME} characters
     */
    private static Optional<String> name(Map<String, Object> params, String key) {
        String name = params.get(key) instanceof String s ? s.strip() : "";
        if (name.codePointCount(0, name.length()) > MAX_DISPLAY_NAME) {
            throw new ActionException(Kind.INVALID_PARAMS, key + " must be at most " + MAX_DISPLAY_NAME + " characters");
        }
        return name.isEmpty() ? Optional.empty() : Optional.of(name);
    }

    private void requireState(String action, String why, State... allowed) {
        for (State s : allowed) {
            if (state == s) {
                return;
            }
        }
        throw new ActionException(Kind.NOT_ALLOWED_NOW,
                "Cannot " + action + " now: " + why + " (the session is " + state.description + ")");
    }

    /** Reports QR {@code attempt} and arranges for its successor when it expires. Lock held. */
    private void showQr(int attempt, Instant expiresAt) {
        // Whole milliseconds: what the host's ISO timestamps carry, so expiries are spaced exactly.
        Instant expiry = expiresAt.truncatedTo(ChronoUnit.MILLIS);
        qrAttempt = attempt;
        qrExpiresAt = expiry;
        context.qrCode(qrCodes.next(), attempt, expiry);
        schedule(Duration.between(Instant.now(), expiry), this::qrExpired);
    }

    private void qrExpired() {
        if (qrAttempt >= settings.qrMaxAttempts()) {
            end();
            context.disconnected(StatusReason.QR_TIMEOUT);
            return;
        }
        // The next QR lives from the previous expiry, so expiries are qr-ttl apart; unless the timer was
        // so late (a suspended machine) that this would already be over.
        Instant now = Instant.now();
        Instant next = qrExpiresAt.plus(settings.qrTtl());
        showQr(qrAttempt + 1, next.isAfter(now) ? next : now.plus(settings.qrTtl()));
    }

    /** The connection ended on its own: nothing more will happen until the host stops it. Lock held. */
    private void end() {
        cancelTimers();
        qrCodes = null;
        state = State.ENDED;
    }

    /** Lock held. */
    private void close() {
        cancelTimers();
        qrCodes = null;
        state = State.CLOSED;
    }

    /** Runs {@code action} under the lock after {@code delay}, unless cancelled first. Lock held. */
    private void schedule(Duration delay, Runnable action) {
        Timer timer = new Timer(action);
        timers.add(timer);
        try {
            // The timer cannot run before the field is set: it needs the lock, which we hold.
            timer.future = scheduler.schedule(timer, nanos(delay), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            timers.remove(timer);
            throw new PluginException("The simulator's timers are shut down (the plugin was stopped)", e);
        }
    }

    private void cancelTimers() {
        for (Timer timer : timers) {
            timer.future.cancel(false);
        }
        // A timer already waiting for the lock finds itself gone and does nothing.
        timers.clear();
    }

    private static long nanos(Duration delay) {
        if (delay.isNegative()) {
            return 0;
        }
        try {
            return delay.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE; // centuries: never
        }
    }

    /** A scheduled step of this session; acts only while it is still among the session's timers. */
    private final class Timer implements Runnable {

        private final Runnable action;
        private ScheduledFuture<?> future;

        Timer(Runnable action) {
            this.action = action;
        }

        @Override
        public void run() {
            lock.lock();
            try {
                if (timers.remove(this)) {
                    action.run();
                }
            } catch (RuntimeException e) {
                // Nobody waits on the future; without this a failing report would vanish silently.
                LOG.log(System.Logger.Level.WARNING, "Simulator session " + context.sessionId() + ": timer failed", e);
            } finally {
                lock.unlock();
            }
        }
    }
}
