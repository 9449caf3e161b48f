package io.wagateway.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.wagateway.api.SessionStatus;
import io.wagateway.api.StatusReason;
import io.wagateway.session.SessionTransitions.Outcome;
import io.wagateway.session.SessionTransitions.State;
import io.wagateway.session.SessionTransitions.Trigger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The state machine as a table: every trigger in every status, each transition and each refusal. */
class SessionTransitionsTest {

    /**
     * retry: a reconnect or retry is pending; engine: an engine session is open. Expected: the next
     * STATUS or STATUS/REASON (" +retry": then schedule a retry), stay (accepted, no change), remove,
     * ignore, or "refuse: " and the 409's message.
     */
    static final String TABLE = """
            # status     | reason             | retry | engine | trigger                       | expected
            # -- REST start: only from DISCONNECTED or ERROR, and only with the engine loaded (status checked first)
            DISCONNECTED |                    | false | false  | start                         | CONNECTING
            DISCONNECTED | STOPPED            | false | false  | start                         | CONNECTING
            DISCONNECTED | LOGGED_OUT         | false | false  | start                         | CONNECTING
            DISCONNECTED | QR_TIMEOUT         | false | false  | start                         | CONNECTING
            DISCONNECTED | GATEWAY_RESTARTED  | false | false  | start                         | CONNECTING
            DISCONNECTED | REPLACED           | false | false  | start                         | CONNECTING
            DISCONNECTED | CONNECTION_LOST    | true  | false  | start                         | CONNECTING
            ERROR        | ENGINE_FAILED      | true  | false  | start                         | CONNECTING
            ERROR        | ENGINE_FAILED      | false | false  | start                         | CONNECTING
            ERROR        | ENGINE_UNAVAILABLE | false | false  | start                         | CONNECTING
            ERROR        | CONNECTION_LOST    | false | false  | start                         | CONNECTING
            CONNECTING   |                    | false | true   | start                         | refuse: Session is already CONNECTING
            CONNECTING   |                    | true  | false  | start                         | refuse: Session is already CONNECTING
            QR_REQUIRED  |                    | false | true   | start                         | refuse: Session is already QR_REQUIRED
            CONNECTED    |                    | false | true   | start                         | refuse: Session is already CONNECTED
            DISCONNECTED | STOPPED            | false | false  | start(no engine)              | "refuse: Engine 'simulator' is not available"
            ERROR        | ENGINE_UNAVAILABLE | false | false  | start(no engine)              | "refuse: Engine 'simulator' is not available"
            CONNECTING   |                    | false | true   | start(no engine)              | refuse: Session is already CONNECTING
            QR_REQUIRED  |                    | false | true   | start(no engine)              | refuse: Session is already QR_REQUIRED
            CONNECTED    |                    | false | true   | start(no engine)              | refuse: Session is already CONNECTED
            # -- REST stop: refused only when DISCONNECTED with no reconnect pending; ERROR counts as started
            DISCONNECTED |                    | false | false  | stop                          | refuse: Session is not started
            DISCONNECTED | STOPPED            | false | false  | stop                          | refuse: Session is not started
            DISCONNECTED | LOGGED_OUT         | false | false  | stop                          | refuse: Session is not started
            DISCONNECTED | QR_TIMEOUT         | false | false  | stop                          | refuse: Session is not started
            DISCONNECTED | GATEWAY_RESTARTED  | false | false  | stop                          | refuse: Session is not started
            DISCONNECTED | REPLACED           | false | false  | stop                          | refuse: Session is not started
            DISCONNECTED | CONNECTION_LOST    | false | false  | stop                          | refuse: Session is not started
            DISCONNECTED | CONNECTION_LOST    | true  | false  | stop                          | DISCONNECTED/STOPPED
            CONNECTING   |                    | false | true   | stop                          | DISCONNECTED/STOPPED
            CONNECTING   |                    | true  | false  | stop                          | DISCONNECTED/STOPPED
            QR_REQUIRED  |                    | false | true   | stop                          | DISCONNECTED/STOPPED
            CONNECTED    |                    | false | true   | stop                          | DISCONNECTED/STOPPED
            ERROR        | ENGINE_FAILED      | true  | false  | stop                          | DISCONNECTED/STOPPED
            ERROR        | ENGINE_FAILED      | false | false  | stop                          | DISCONNECTED/STOPPED
            ERROR        | ENGINE_UNAVAILABLE | false | false  | stop                          | DISCONNECTED/STOPPED
            ERROR        | CONNECTION_LOST    | false | false  | stop                          | DISCONNECTED/STOPPED
            # -- REST logout and delete: allowed in any state
            DISCONNECTED |                    | false | false  | logout                        | DISCONNECTED/LOGGED_OUT
            DISCONNECTED | LOGGED_OUT         | false | false  | logout                        | DISCONNECTED/LOGGED_OUT
            DISCONNECTED | CONNECTION_LOST    | true  | false  | logout                        | DISCONNECTED/LOGGED_OUT
            CONNECTING   |                    | false | true   | logout                        | DISCONNECTED/LOGGED_OUT
            QR_REQUIRED  |                    | false | true   | logout                        | DISCONNECTED/LOGGED_OUT
            CONNECTED    |                    | false | true   | logout                        | DISCONNECTED/LOGGED_OUT
            ERROR        | ENGINE_FAILED      | true  | false  | logout                        | DISCONNECTED/LOGGED_OUT
            ERROR        | ENGINE_UNAVAILABLE | false | false  | logout                        | DISCONNECTED/LOGGED_OUT
            ERROR        | CONNECTION_LOST    | false | false  | logout                        | DISCONNECTED/LOGGED_OUT
            DISCONNECTED |                    | false | false  | delete                        | remove
            DISCONNECTED | CONNECTION_LOST    | true  | false  | delete                        | remove
            CONNECTING   |                    | false | true   | delete                        | remove
            QR_REQUIRED  |                    | false | true   | delete                        | remove
            CONNECTED    |                    | false | true   | delete                        | remove
            ERROR        | ENGINE_FAILED      | true  | false  | delete                        | remove
            # -- engine: a QR code counts only while linking; the first one moves to QR_REQUIRED
            CONNECTING   |                    | false | true   | qr                            | QR_REQUIRED
            QR_REQUIRED  |                    | false | true   | qr                            | stay
            CONNECTED    |                    | false | true   | qr                            | ignore
            DISCONNECTED | STOPPED            | false | false  | qr                            | ignore
            DISCONNECTED | CONNECTION_LOST    | true  | false  | qr                            | ignore
            ERROR        | ENGINE_FAILED      | true  | false  | qr                            | ignore
            ERROR        | CONNECTION_LOST    | false | false  | qr                            | ignore
            # -- engine: connected, disconnected and failed are taken in any state (stale ones never get here)
            CONNECTING   |                    | false | true   | connected                     | CONNECTED
            QR_REQUIRED  |                    | false | true   | connected                     | CONNECTED
            CONNECTED    |                    | false | true   | connected                     | CONNECTED
            DISCONNECTED | CONNECTION_LOST    | true  | false  | connected                     | CONNECTED
            ERROR        | ENGINE_FAILED      | false | true   | connected                     | CONNECTED
            ERROR        | CONNECTION_LOST    | false | false  | connected                     | CONNECTED
            CONNECTED    |                    | false | true   | disconnected(CONNECTION_LOST) | DISCONNECTED/CONNECTION_LOST +retry
            CONNECTING   |                    | false | true   | disconnected(CONNECTION_LOST) | DISCONNECTED/CONNECTION_LOST +retry
            CONNECTED    |                    | false | true   | disconnected(LOGGED_OUT)      | DISCONNECTED/LOGGED_OUT
            QR_REQUIRED  |                    | false | true   | disconnected(QR_TIMEOUT)      | DISCONNECTED/QR_TIMEOUT
            QR_REQUIRED  |                    | false | true   | disconnected(LOGGED_OUT)      | DISCONNECTED/LOGGED_OUT
            CONNECTED    |                    | false | true   | disconnected(STOPPED)         | DISCONNECTED/STOPPED
            # the account was opened elsewhere: like a stop, credentials kept and no reconnect (the two would fight)
            CONNECTED    |                    | false | true   | disconnected(REPLACED)        | DISCONNECTED/REPLACED
            DISCONNECTED | CONNECTION_LOST    | true  | false  | disconnected(CONNECTION_LOST) | DISCONNECTED/CONNECTION_LOST +retry
            ERROR        | ENGINE_FAILED      | false | true   | disconnected(QR_TIMEOUT)      | DISCONNECTED/QR_TIMEOUT
            CONNECTING   |                    | false | true   | failed                        | ERROR/ENGINE_FAILED +retry
            QR_REQUIRED  |                    | false | true   | failed                        | ERROR/ENGINE_FAILED +retry
            CONNECTED    |                    | false | true   | failed                        | ERROR/ENGINE_FAILED +retry
            CONNECTED    |                    | false | true   | failed(fatal)                 | ERROR/ENGINE_FAILED
            ERROR        | ENGINE_FAILED      | false | true   | failed                        | ERROR/ENGINE_FAILED +retry
            DISCONNECTED | CONNECTION_LOST    | false | true   | failed                        | ERROR/ENGINE_FAILED +retry
            # -- a retry fires: it starts a failing or disconnected-by-loss session, or one left CONNECTING without
            #    an engine (its start failed and the failure could not be recorded); never a second engine
            ERROR        | ENGINE_FAILED      | false | false  | retry fired                   | CONNECTING
            ERROR        | ENGINE_UNAVAILABLE | false | false  | retry fired                   | CONNECTING
            DISCONNECTED | CONNECTION_LOST    | false | false  | retry fired                   | CONNECTING
            CONNECTING   |                    | false | false  | retry fired                   | CONNECTING
            CONNECTING   |                    | false | true   | retry fired                   | ignore
            QR_REQUIRED  |                    | false | true   | retry fired                   | ignore
            CONNECTED    |                    | false | true   | retry fired                   | ignore
            ERROR        | ENGINE_FAILED      | false | true   | retry fired                   | ignore
            DISCONNECTED |                    | false | false  | retry fired                   | ignore
            DISCONNECTED | STOPPED            | false | false  | retry fired                   | ignore
            DISCONNECTED | LOGGED_OUT         | false | false  | retry fired                   | ignore
            DISCONNECTED | QR_TIMEOUT         | false | false  | retry fired                   | ignore
            DISCONNECTED | GATEWAY_RESTARTED  | false | false  | retry fired                   | ignore
            DISCONNECTED | REPLACED           | false | false  | retry fired                   | ignore
            # -- plugins: removing the engine a session runs stops it; adding one starts the sessions waiting for it
            CONNECTING   |                    | false | true   | engine removed(its)           | ERROR/ENGINE_UNAVAILABLE
            QR_REQUIRED  |                    | false | true   | engine removed(its)           | ERROR/ENGINE_UNAVAILABLE
            CONNECTED    |                    | false | true   | engine removed(its)           | ERROR/ENGINE_UNAVAILABLE
            CONNECTED    |                    | false | true   | engine removed(other)         | ignore
            ERROR        | ENGINE_FAILED      | true  | false  | engine removed(other)         | ignore
            DISCONNECTED | CONNECTION_LOST    | true  | false  | engine removed(other)         | ignore
            DISCONNECTED | STOPPED            | false | false  | engine removed(other)         | ignore
            ERROR        | ENGINE_UNAVAILABLE | false | false  | engine added                  | CONNECTING
            ERROR        | ENGINE_UNAVAILABLE | false | true   | engine added                  | ignore
            ERROR        | ENGINE_FAILED      | true  | false  | engine added                  | ignore
            ERROR        | CONNECTION_LOST    | false | false  | engine added                  | ignore
            DISCONNECTED | STOPPED            | false | false  | engine added                  | ignore
            DISCONNECTED | CONNECTION_LOST    | true  | false  | engine added                  | ignore
            CONNECTING   |                    | false | true   | engine added                  | ignore
            QR_REQUIRED  |                    | false | true   | engine added                  | ignore
            CONNECTED    |                    | false | true   | engine added                  | ignore
            # -- gateway restart, on the stored session: linked ones start again, those mid-linking need a new QR
            CONNECTED    |                    | false | false  | restart                       | CONNECTING
            ERROR        | ENGINE_FAILED      | false | false  | restart                       | CONNECTING
            ERROR        | ENGINE_UNAVAILABLE | false | false  | restart                       | CONNECTING
            # reconnects used up before the restart: the restarted gateway tries once more
            ERROR        | CONNECTION_LOST    | false | false  | restart                       | CONNECTING
            DISCONNECTED | CONNECTION_LOST    | false | false  | restart                       | CONNECTING
            CONNECTING   |                    | false | false  | restart(credentials)          | CONNECTING
            CONNECTING   |                    | false | false  | restart                       | DISCONNECTED/GATEWAY_RESTARTED
            QR_REQUIRED  |                    | false | false  | restart                       | DISCONNECTED/GATEWAY_RESTARTED
            QR_REQUIRED  |                    | false | false  | restart(credentials)          | DISCONNECTED/GATEWAY_RESTARTED
            DISCONNECTED |                    | false | false  | restart                       | ignore
            DISCONNECTED | STOPPED            | false | false  | restart                       | ignore
            DISCONNECTED | LOGGED_OUT         | false | false  | restart                       | ignore
            DISCONNECTED | QR_TIMEOUT         | false | false  | restart                       | ignore
            DISCONNECTED | GATEWAY_RESTARTED  | false | false  | restart                       | ignore
            DISCONNECTED | REPLACED           | false | false  | restart                       | ignore
            # -- opening the engine, whatever the state: it can still have gone since the decision to start
            DISCONNECTED | STOPPED            | false | false  | opening                       | CONNECTING
            ERROR        | ENGINE_FAILED      | false | false  | opening                       | CONNECTING
            CONNECTING   |                    | false | false  | opening                       | CONNECTING
            CONNECTED    |                    | false | false  | opening                       | CONNECTING
            QR_REQUIRED  |                    | false | false  | opening                       | CONNECTING
            DISCONNECTED | STOPPED            | false | false  | opening(no engine)            | ERROR/ENGINE_UNAVAILABLE
            ERROR        | ENGINE_FAILED      | false | false  | opening(no engine)            | ERROR/ENGINE_UNAVAILABLE
            CONNECTED    |                    | false | false  | opening(no engine)            | ERROR/ENGINE_UNAVAILABLE
            """;

    /**
     * With the reconnects used up ({@code gateway.sessions.reconnect-max-attempts} reconnects in a row
     * without reaching CONNECTED), a lost connection is an error and no reconnect is scheduled. Every
     * other answer is the one of the main table (checked below for every state and trigger).
     */
    static final String RECONNECTS_USED_UP = """
            # status     | reason             | retry | engine | trigger                       | expected
            CONNECTING   |                    | false | true   | disconnected(CONNECTION_LOST) | ERROR/CONNECTION_LOST
            QR_REQUIRED  |                    | false | true   | disconnected(CONNECTION_LOST) | ERROR/CONNECTION_LOST
            CONNECTED    |                    | false | true   | disconnected(CONNECTION_LOST) | ERROR/CONNECTION_LOST
            DISCONNECTED | CONNECTION_LOST    | false | true   | disconnected(CONNECTION_LOST) | ERROR/CONNECTION_LOST
            ERROR        | ENGINE_FAILED      | false | true   | disconnected(CONNECTION_LOST) | ERROR/CONNECTION_LOST
            CONNECTING   |                    | false | true   | disconnected(LOGGED_OUT)      | DISCONNECTED/LOGGED_OUT
            CONNECTING   |                    | false | true   | disconnected(REPLACED)        | DISCONNECTED/REPLACED
            QR_REQUIRED  |                    | false | true   | disconnected(QR_TIMEOUT)      | DISCONNECTED/QR_TIMEOUT
            # a failure is already shown as ERROR: it is retried as before
            CONNECTING   |                    | false | true   | failed                        | ERROR/ENGINE_FAILED +retry
            CONNECTING   |                    | false | true   | connected                     | CONNECTED
            """;

    @ParameterizedTest(name = "used up, {0}/{1} retry={2} engine={3}: {4} -> {5}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = RECONNECTS_USED_UP)
    void aLossWithTheReconnectsUsedUpIsAnErrorWithoutRetry(SessionStatus status, StatusReason reason, boolean retry,
                                                          boolean engine, String trigger, String expected) {
        assertEquals(expected, describe(SessionTransitions.next(new State(status, reason, retry, engine, true), trigger(trigger))));
    }

    /** The reconnect limit changes the answer to a lost connection and to nothing else. */
    @Test
    void theReconnectLimitChangesOnlyTheAnswerToALostConnection() {
        for (String[] row : rows()) {
            State base = new State(SessionStatus.valueOf(row[0]), row[1].isEmpty() ? null : StatusReason.valueOf(row[1]),
                    Boolean.parseBoolean(row[2]), Boolean.parseBoolean(row[3]));
            State usedUp = new State(base.status(), base.reason(), base.retryPending(), base.engineRunning(), true);
            Trigger trigger = trigger(row[4]);
            Outcome without = SessionTransitions.next(base, trigger);
            Outcome with = SessionTransitions.next(usedUp, trigger);
            if (trigger instanceof Trigger.Disconnected d && d.reason() == StatusReason.CONNECTION_LOST) {
                assertEquals("ERROR/CONNECTION_LOST", describe(with), String.join("|", row));
            } else {
                assertEquals(without, with, String.join("|", row));
            }
        }
    }

    @ParameterizedTest(name = "{0}/{1} retry={2} engine={3}: {4} -> {5}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = TABLE)
    void answersAsTheTableSays(SessionStatus status, StatusReason reason, boolean retry, boolean engine,
                               String trigger, String expected) {
        assertEquals(expected, describe(SessionTransitions.next(new State(status, reason, retry, engine), trigger(trigger))));
    }

    @Test
    void tableHasEveryTriggerInEveryStatus() {
        Map<Class<?>, Set<SessionStatus>> seen = new HashMap<>();
        for (String[] row : rows()) {
            seen.computeIfAbsent(trigger(row[4]).getClass(), c -> EnumSet.noneOf(SessionStatus.class))
                    .add(SessionStatus.valueOf(row[0]));
        }
        assertEquals(Set.of(Trigger.class.getPermittedSubclasses()), seen.keySet(), "every trigger has rows");
        seen.forEach((trigger, statuses) -> assertEquals(EnumSet.allOf(SessionStatus.class), statuses,
                trigger.getSimpleName() + " in every status"));
    }

    /** Only REST start and stop can be refused; engines, timers, plugins and the boot are never told no. */
    @Test
    void onlyStartAndStopAreRefused() {
        List<Trigger> triggers = new ArrayList<>(List.of(Trigger.STOP, Trigger.LOGOUT, Trigger.DELETE, Trigger.QR,
                Trigger.CONNECTED, Trigger.RETRY_FIRED, Trigger.ENGINE_ADDED, new Trigger.Start("e", true),
                new Trigger.Start("e", false), new Trigger.Failed(true), new Trigger.Failed(false),
                new Trigger.EngineRemoved(true), new Trigger.EngineRemoved(false), new Trigger.GatewayRestarted(true),
                new Trigger.GatewayRestarted(false), new Trigger.Opening(true), new Trigger.Opening(false)));
        Arrays.stream(StatusReason.values()).map(Trigger.Disconnected::new).forEach(triggers::add);
        List<StatusReason> reasons = new ArrayList<>(Arrays.asList(StatusReason.values()));
        reasons.add(null);
        for (SessionStatus status : SessionStatus.values()) {
            for (StatusReason reason : reasons) {
                for (boolean retry : new boolean[] {false, true}) {
                    for (boolean engine : new boolean[] {false, true}) {
                        for (boolean usedUp : new boolean[] {false, true}) {
                            State state = new State(status, reason, retry, engine, usedUp);
                            for (Trigger trigger : triggers) {
                                Outcome outcome = SessionTransitions.next(state, trigger);
                                if (!(trigger instanceof Trigger.Start || trigger instanceof Trigger.Stop)) {
                                    assertFalse(outcome instanceof Outcome.Refuse, state + " " + trigger + " -> " + outcome);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private static List<String[]> rows() {
        return TABLE.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .map(l -> Arrays.stream(l.split("\\|")).map(String::strip).toArray(String[]::new))
                .collect(Collectors.toList());
    }

    private static Trigger trigger(String name) {
        if (name.startsWith("disconnected(")) {
            return new Trigger.Disconnected(StatusReason.valueOf(name.substring("disconnected(".length(), name.length() - 1)));
        }
        return switch (name) {
            case "start" -> new Trigger.Start("simulator", true);
            case "start(no engine)" -> new Trigger.Start("simulator", false);
            case "stop" -> Trigger.STOP;
            case "logout" -> Trigger.LOGOUT;
            case "delete" -> Trigger.DELETE;
            case "qr" -> Trigger.QR;
            case "connected" -> Trigger.CONNECTED;
            case "failed" -> new Trigger.Failed(false);
            case "failed(fatal)" -> new Trigger.Failed(true);
            case "retry fired" -> Trigger.RETRY_FIRED;
            case "engine removed(its)" -> new Trigger.EngineRemoved(true);
            case "engine removed(other)" -> new Trigger.EngineRemoved(false);
            case "engine added" -> Trigger.ENGINE_ADDED;
            case "restart" -> new Trigger.GatewayRestarted(false);
            case "restart(credentials)" -> new Trigger.GatewayRestarted(true);
            case "opening" -> new Trigger.Opening(true);
            case "opening(no engine)" -> new Trigger.Opening(false);
            default -> throw new IllegalArgumentException("No such trigger in the table's notation: " + name);
        };
    }

    /** Whose end leaves the messages its engine never got waiting for the next connection. */
    @ParameterizedTest(name = "{0} then {1}: waits {2}")
    @CsvSource(delimiter = '|', textBlock = """
            CONNECTED    | failed                | true
            CONNECTED    | failed(fatal)         | false
            CONNECTED    | stop                  | false
            CONNECTED    | logout                | false
            CONNECTED    | engine removed(its)   | true
            """)
    void messagesNoEngineGotWaitOnlyForAReconnectTheGatewayMakesByItself(SessionStatus status, String trigger,
                                                                         boolean waits) {
        Outcome.Move move = (Outcome.Move) SessionTransitions.next(new State(status, null, false, true), trigger(trigger));
        assertEquals(waits, move.reconnectsByItself());
        for (StatusReason lost : List.of(StatusReason.CONNECTION_LOST, StatusReason.LOGGED_OUT, StatusReason.QR_TIMEOUT)) {
            Outcome.Move ended = (Outcome.Move) SessionTransitions.next(new State(status, null, false, true),
                    new Trigger.Disconnected(lost));
            assertEquals(lost == StatusReason.CONNECTION_LOST, ended.reconnectsByItself(), lost.name());
        }
    }

    private static String describe(Outcome outcome) {
        return switch (outcome) {
            case Outcome.Move move -> move.status() + (move.reason() == null ? "" : "/" + move.reason())
                    + (move.retry() ? " +retry" : "");
            case Outcome.Stay stay -> "stay";
            case Outcome.Remove remove -> "remove";
            case Outcome.Ignore ignore -> "ignore";
            case Outcome.Refuse refuse -> "refuse: " + refuse.message();
        };
    }
}
