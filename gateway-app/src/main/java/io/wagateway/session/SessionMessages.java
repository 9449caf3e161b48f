package io.wagateway.session;

import io.wagateway.api.MessageStatus;
import io.wagateway.api.OutgoingMessage;
import io.wagateway.session.SessionTransitions.Outcome;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One session's outgoing messages on their way to its engine, for its {@link SessionActor} and on
 * its executor: hand-over through the engine session's {@link EngineLane}, a {@code send()} that
 * fails or hangs, what an ended engine session leaves {@code PENDING} ({@link OutgoingMessages}
 * says what becomes of it), and the messages an earlier engine session never got, sent once the
 * session is connected again.
 */
final class SessionMessages {

    private static final Logger LOG = Logger.getLogger(SessionMessages.class.getName());

    private final SessionActor actor;
    private final OutgoingMessages messages;

    SessionMessages(SessionActor actor, OutgoingMessages messages) {
        this.actor = actor;
        this.messages = messages;
    }

    /** Stores the message {@code PENDING} and queues it for the engine session {@code gen}. */
    Message send(EngineLane lane, int gen, String to, String text, String idempotencyKey) {
        Message message = messages.store(actor.id(), to, text, idempotencyKey);
        handOver(lane, gen, message.messageId(), to, text);
        return message;
    }

    /** What an earlier engine session never got goes out now, oldest first. */
    void sendWaiting(EngineLane lane, int gen) {
        for (MessageStore.Pending m : messages.notHandedOver(actor.id())) {
            if (!lane.queued(m.messageId())) {
                handOver(lane, gen, m.messageId(), m.to(), m.text());
            }
        }
    }

    void status(String messageId, MessageStatus status, String error) {
        messages.statusChanged(actor.id(), actor.userId(), messageId, status, error);
    }

    /** After the engine session ended with {@code to}: no message of it stays in flight. */
    void settle(Outcome.Move to) {
        try {
            messages.settle(actor.id(), actor.userId(), to.reconnectsByItself(), Instant.MAX);
        } catch (RuntimeException e) {
            // The database: the next end of an engine session, or the next boot, settles them.
            LOG.log(Level.WARNING, "Session " + actor.id() + ": could not settle its unfinished messages", e);
        }
    }

    /** At boot: what the last run's engines got, and, unless the session {@code resumes}, what they never got. */
    void settleAfterRestart(boolean resumes, Instant booted) {
        messages.settle(actor.id(), actor.userId(), resumes, booted);
    }

    private void handOver(EngineLane lane, int gen, String messageId, String to, String text) {
        lane.send(new OutgoingMessage(messageId, to, text), () -> messages.handedOver(messageId))
                .whenComplete((r, e) -> {
                    if (e != null) {
                        actor.executor.execute(() -> sendFailed(gen, messageId, EngineLane.cause(e)));
                    }
                });
    }

    private void sendFailed(int gen, String messageId, Throwable failure) {
        if (failure instanceof EngineLane.TimedOut timedOut) {
            // The engine got it and never answered: not known to be sent, and not to be sent twice.
            status(messageId, MessageStatus.FAILED, timedOut.getMessage());
            actor.engineFailed(gen, timedOut.getMessage(), timedOut);
            return;
        }
        LOG.log(Level.WARNING, "Engine refused message " + messageId + " of " + actor.id(), failure);
        status(messageId, MessageStatus.FAILED, "Engine refused the message");
    }
}
