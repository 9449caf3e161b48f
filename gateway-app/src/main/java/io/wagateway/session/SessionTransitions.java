package io.wagateway.session;

import io.wagateway.api.SessionStatus;
import io.wagateway.api.StatusReason;

/**
 * The session state machine, as pure rules: given what a session is now and what happened, the
 * next status and reason, or why a REST command is refused. No database, executor or HTTP here;
 * {@link SessionActor} asks before every change and carries the answer out (persist, then
 * publish), on the session's executor.
 *
 * <pre>
 * DISCONNECTED|ERROR --start--> CONNECTING --qr--> QR_REQUIRED --scan--> CONNECTED
 * CONNECTING --credentials--> CONNECTED;  any started state --stop--> DISCONNECTED(STOPPED)
 * any state --logout--> DISCONNECTED(LOGGED_OUT);  engine failure --> ERROR(ENGINE_FAILED) --backoff--> CONNECTING
 * </pre>
 *
 * <p>Besides: the engine ends a connection with {@code DISCONNECTED(reason)}, and reconnects with
 * the same backoff after {@code CONNECTION_LOST} (never after {@code REPLACED}: the account is open
 * elsewhere, and reconnecting would fight that client), until the reconnects made since the last
 * start or connect are used up ({@code gateway.sessions.reconnect-max-attempts}): then the loss
 * makes it {@code ERROR(CONNECTION_LOST)}, with no further reconnect; a session whose engine
 * plugin goes away becomes {@code ERROR(ENGINE_UNAVAILABLE)} and starts again when an engine of
 * that name is added; after a gateway restart, linked sessions start again and those caught
 * mid-linking become {@code DISCONNECTED(GATEWAY_RESTARTED)}. An answer of {@code CONNECTING} means
 * "open the engine", which itself can still find the engine gone ({@link Trigger.Opening}).
 *
 * <p>Facts from an engine session that has ended never get here: the generation check in
 * {@link HostEngineContext} drops them first.
 */
final class SessionTransitions {

    private SessionTransitions() {
    }

    /**
     * What the rules need to know of a session.
     *
     * @param reason            the stored reason, null unless {@code DISCONNECTED} or {@code ERROR}
     * @param retryPending      whether a reconnect or retry is scheduled
     * @param engineRunning     whether an engine session is open for it
     * @param reconnectsUsedUp  whether the reconnects allowed in a row without reaching {@code CONNECTED}
     *                          have all been made
     */
    record State(SessionStatus status, StatusReason reason, boolean retryPending, boolean engineRunning,
                 boolean reconnectsUsedUp) {

        /** A state with reconnects left (the only kind outside a reconnect loop). */
        State(SessionStatus status, StatusReason reason, boolean retryPending, boolean engineRunning) {
            this(status, reason, retryPending, engineRunning, false);
        }

        /** A session as stored, with no engine open and no retry pending (at boot, or as listed). */
        static State stored(Session session) {
            return new State(session.status(), session.reason(), false, false);
        }
    }

    /** What happened to the session. */
    sealed interface Trigger {

        Trigger STOP = new Stop();
        Trigger LOGOUT = new Logout();
        Trigger DELETE = new Delete();
        Trigger QR = new Qr();
        Trigger CONNECTED = new Connected();
        Trigger RETRY_FIRED = new RetryFired();
        Trigger ENGINE_ADDED = new EngineAdded();

        /** REST start; {@code engineAvailable}: whether an engine named {@code engine} is loaded. */
        record Start(String engine, boolean engineAvailable) implements Trigger {
        }

        /** REST stop: end the engine session, keep the credentials. */
        record Stop() implements Trigger {
        }

        /** REST logout: unlink the account and delete its credentials. */
        record Logout() implements Trigger {
        }

        /** REST delete: the session and everything it owns go away. */
        record Delete() implements Trigger {
        }

        /** The engine has a QR code to scan. */
        record Qr() implements Trigger {
        }

        /** The engine linked the account and is online. */
        record Connected() implements Trigger {
        }

        /** The engine ended the connection on its own, for {@code reason}. */
        record Disconnected(StatusReason reason) implements Trigger {
        }

        /** The engine failed; {@code fatal}: a plugin error that says retrying cannot help. */
        record Failed(boolean fatal) implements Trigger {
        }

        /** The backoff timer of a scheduled reconnect or retry went off. */
        record RetryFired() implements Trigger {
        }

        /** An engine plugin is going away; {@code runsThisSession}: it is the engine open for this session. */
        record EngineRemoved(boolean runsThisSession) implements Trigger {
        }

        /** An engine of the session's engine name became available. */
        record EngineAdded() implements Trigger {
        }

        /**
         * The gateway started with this session as stored; {@code hasCredentials}: the engine saved
         * credentials for it (only asked of a session stored {@code CONNECTING}).
         */
        record GatewayRestarted(boolean hasCredentials) implements Trigger {
        }

        /** The engine is about to be opened; {@code engineFound}: the registry still has it. */
        record Opening(boolean engineFound) implements Trigger {
        }
    }

    /** The answer. */
    sealed interface Outcome {

        Outcome STAY = new Stay();
        Outcome REMOVE = new Remove();
        Outcome IGNORE = new Ignore();

        /**
         * Change to {@code status}/{@code reason}; with {@code retry}, then schedule a reconnect with
         * backoff. To {@code CONNECTING}: open the engine.
         */
        record Move(SessionStatus status, StatusReason reason, boolean retry) implements Outcome {

            /**
             * Whether the gateway connects this session again by itself (a retry, or its engine coming
             * back): messages its engine never got then wait for that connection.
             */
            boolean reconnectsByItself() {
                return retry || (status == SessionStatus.ERROR && reason == StatusReason.ENGINE_UNAVAILABLE);
            }
        }

        /** Accepted; the status stays as it is. */
        record Stay() implements Outcome {
        }

        /** The session is removed. */
        record Remove() implements Outcome {
        }

        /** Nothing to do in this state. */
        record Ignore() implements Outcome {
        }

        /** A REST command this state does not allow: the 409's message. */
        record Refuse(String message) implements Outcome {
        }
    }

    private static final Outcome.Move CONNECT = move(SessionStatus.CONNECTING, null);

    /** The rules, all of them. Engine facts, timers and plugin events are never refused, only ignored. */
    static Outcome next(State s, Trigger trigger) {
        return switch (trigger) {
            case Trigger.Start start -> start(s, start);
            // DISCONNECTED with a reconnect pending (connection lost) still counts as started.
            case Trigger.Stop stop -> s.status() == SessionStatus.DISCONNECTED && !s.retryPending()
                    ? new Outcome.Refuse("Session is not started")
                    : move(SessionStatus.DISCONNECTED, StatusReason.STOPPED);
            case Trigger.Logout logout -> move(SessionStatus.DISCONNECTED, StatusReason.LOGGED_OUT);
            case Trigger.Delete delete -> Outcome.REMOVE;
            case Trigger.Qr qr -> switch (s.status()) {
                case CONNECTING -> move(SessionStatus.QR_REQUIRED, null);
                case QR_REQUIRED -> Outcome.STAY;
                default -> Outcome.IGNORE;
            };
            case Trigger.Connected connected -> move(SessionStatus.CONNECTED, null);
            case Trigger.Disconnected d -> disconnected(s, d.reason());
            case Trigger.Failed failed -> new Outcome.Move(SessionStatus.ERROR, StatusReason.ENGINE_FAILED, !failed.fatal());
            // CONNECTING without an engine: the last start failed and the failure could not be recorded.
            case Trigger.RetryFired fired -> !s.engineRunning() && (awaitsRetry(s) || s.status() == SessionStatus.CONNECTING)
                    ? CONNECT : Outcome.IGNORE;
            case Trigger.EngineRemoved removed -> removed.runsThisSession()
                    ? move(SessionStatus.ERROR, StatusReason.ENGINE_UNAVAILABLE) : Outcome.IGNORE;
            case Trigger.EngineAdded added -> !s.engineRunning() && s.status() == SessionStatus.ERROR
                    && s.reason() == StatusReason.ENGINE_UNAVAILABLE ? CONNECT : Outcome.IGNORE;
            case Trigger.GatewayRestarted restarted -> restarted(s, restarted);
            case Trigger.Opening opening -> opening.engineFound()
                    ? CONNECT : move(SessionStatus.ERROR, StatusReason.ENGINE_UNAVAILABLE);
        };
    }

    private static Outcome start(State s, Trigger.Start start) {
        if (s.status() != SessionStatus.DISCONNECTED && s.status() != SessionStatus.ERROR) {
            return new Outcome.Refuse("Session is already " + s.status());
        }
        if (!start.engineAvailable()) {
            return new Outcome.Refuse("Engine '" + start.engine() + "' is not available");
        }
        return CONNECT;
    }

    /**
     * A lost connection is reconnected while reconnects are left; the loss that finds them used up
     * is shown as an error, once, since nothing more will happen by itself.
     */
    private static Outcome.Move disconnected(State s, StatusReason reason) {
        if (reason != StatusReason.CONNECTION_LOST) {
            return move(SessionStatus.DISCONNECTED, reason);
        }
        return s.reconnectsUsedUp() ? move(SessionStatus.ERROR, StatusReason.CONNECTION_LOST)
                : new Outcome.Move(SessionStatus.DISCONNECTED, reason, true);
    }

    /**
     * Sessions that were linked (CONNECTED, or reconnecting with credentials, or failing) start
     * again; sessions caught mid-linking need a new QR and become DISCONNECTED.
     */
    private static Outcome restarted(State s, Trigger.GatewayRestarted restarted) {
        boolean linked = s.status() == SessionStatus.CONNECTED || awaitsRetry(s)
                || (s.status() == SessionStatus.CONNECTING && restarted.hasCredentials());
        if (linked) {
            return CONNECT;
        }
        if (s.status() == SessionStatus.CONNECTING || s.status() == SessionStatus.QR_REQUIRED) {
            return move(SessionStatus.DISCONNECTED, StatusReason.GATEWAY_RESTARTED);
        }
        return Outcome.IGNORE;
    }

    /** Failing, or lost its connection: a retry is (or, before the restart, was) due. */
    private static boolean awaitsRetry(State s) {
        return s.status() == SessionStatus.ERROR
                || (s.status() == SessionStatus.DISCONNECTED && s.reason() == StatusReason.CONNECTION_LOST);
    }

    private static Outcome.Move move(SessionStatus status, StatusReason reason) {
        return new Outcome.Move(status, reason, false);
    }
}
