package io.wagateway.session;

import io.wagateway.api.MessageStatus;
import io.wagateway.api.OutgoingMessage;
import io.wagateway.session.SessionTransitions.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
    private static final Duration ACCEPTED_WAIT = Duration.ofSeconds(30);

    private final SessionActor actor;
    private final OutgoingMessages messages;
    private final Set<CompletableFuture<Message>> inFlight = ConcurrentHashMap.newKeySet();
    private final Map<String, CompletableFuture<Message>> storing = new ConcurrentHashMap<>();

    SessionMessages(SessionActor actor, OutgoingMessages messages) {
        this.actor = actor;
        this.messages = messages;
    }

    /**
     * On the session's executor: accepts a message for the engine session {@code gen}. The caller
     * then stores and queues it ({@link Accepted#store}) on its own thread, so the session's
     * executor does not wait for the commit and the session's sends share commits. Until then,
     * what reads the session's pending messages waits for it ({@link #awaitAccepted}).
     */
    Accepted accept(EngineLane lane, int gen, String to, String text, String idempotencyKey) {
        Accepted accepted = new Accepted(lane, gen, to, text, idempotencyKey, new CompletableFuture<>());
        inFlight.add(accepted.stored);
        if (idempotencyKey != null) {
            storing.put(idempotencyKey, accepted.stored);
        }
        return accepted;
    }

    /** @return the message being stored with this idempotency key (accepted, not stored yet), or null */
    CompletableFuture<Message> storing(String idempotencyKey) {
        return storing.get(idempotencyKey);
    }

    /** A message accepted for the engine, to be stored and queued by the caller. */
    final class Accepted {
        private final EngineLane lane;
        private final int gen;
        private final String to;
        private final String text;
        private final String idempotencyKey;
        private final CompletableFuture<Message> stored;

        private Accepted(EngineLane lane, int gen, String to, String text, String idempotencyKey,
                         CompletableFuture<Message> stored) {
            this.lane = lane;
            this.gen = gen;
            this.to = to;
            this.text = text;
            this.idempotencyKey = idempotencyKey;
            this.stored = stored;
        }

        /** Stores the message {@code PENDING} (returns once committed) and queues it for the engine. */
        Message store() {
            try {
                Message message = messages.store(actor.id(), to, text, idempotencyKey);
                handOver(lane, gen, message.messageId(), to, text);
                stored.complete(message);
                return message;
            } catch (RuntimeException | Error e) {
                stored.completeExceptionally(e);
                throw e;
            } finally {
                inFlight.remove(stored);
                if (idempotencyKey != null) {
                    storing.remove(idempotencyKey, stored);
                }
            }
        }
    }

    /**
     * Waits until the messages accepted so far are stored and queued (or failed), so that what
     * reads the session's pending messages next sees them: one whose engine session ended meanwhile
     * is settled or sent again like any other.
     */
    void awaitAccepted() {
        for (CompletableFuture<Message> f : List.copyOf(inFlight)) {
            try {
                f.get(ACCEPTED_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | CancellationException e) {
                // Not stored: its caller got the failure, and there is nothing to settle.
            } catch (TimeoutException e) {
                // A write that hangs this long is the database's: the next settlement or boot catches up.
                LOG.warning(() -> "Session " + actor.id() + ": a message accepted " + ACCEPTED_WAIT.toSeconds()
                        + " s ago is still not stored; going on without it");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** What an earlier engine session never got goes out now, oldest first. */
    void sendWaiting(EngineLane lane, int gen) {
        awaitAccepted();
        for (MessageStore.Pending m : messages.notHandedOver(actor.id())) {
            if (!lane.queued(m.messageId())) {
                handOver(lane, gen, m.messageId(), m.to(), m.text());
            }
        }
    }

    /** Where this session's engine lanes record the messages they hand over. */
    EngineLane.HandOvers handOvers() {
        return new EngineLane.HandOvers() {
            @Override
            public void handedOver(List<String> messageIds) {
                messages.handedOver(messageIds);
            }

            @Override
            public void notHandedOver(List<String> messageIds) {
                messages.notHandedOver(messageIds);
            }
        };
    }

    void status(String messageId, MessageStatus status, String error) {
        messages.statusChanged(actor.id(), actor.userId(), messageId, status, error);
    }

    /** After the engine session ended with {@code to}: no message of it stays in flight. */
    void settle(Outcome.Move to) {
        awaitAccepted();
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
        lane.send(new OutgoingMessage(messageId, to, text))
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
        if (failure instanceof EngineLane.HandOverNotRecorded notRecorded) {
            // The engine never got it: the database did not take the record that comes first.
            LOG.log(Level.WARNING, "Message " + messageId + " of " + actor.id() + " not sent", notRecorded);
            status(messageId, MessageStatus.FAILED, "Not sent: " + notRecorded.getMessage());
            return;
        }
        LOG.log(Level.WARNING, "Engine refused message " + messageId + " of " + actor.id(), failure);
        status(messageId, MessageStatus.FAILED, "Engine refused the message");
    }
}
