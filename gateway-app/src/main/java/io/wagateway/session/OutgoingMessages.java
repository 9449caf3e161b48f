package io.wagateway.session;

import io.wagateway.api.EventIds;
import io.wagateway.api.MessageStatus;
import io.wagateway.api.MessageStatusUpdated;
import io.wagateway.event.EventBus;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The sessions' outgoing messages as their actors record them: a new message stored
 * {@code PENDING}, then each status change stored and published. Called on the session's executor,
 * so a session's message events keep its order: a status change does not wait for its commit, and
 * its event is published once committed, from the database writer, in the order the executor made
 * the changes.
 *
 * <p>When an engine session ends, no message stays in flight: a {@code PENDING} message the engine
 * got but never confirmed becomes {@code FAILED} ({@link #UNCONFIRMED}); one it never got waits for
 * the session's next connection if the gateway reconnects by itself, else becomes {@code FAILED}
 * ({@link #NOT_HANDED_OVER}). {@code SENT} and {@code DELIVERED} are left as they are: WhatsApp's
 * server has the message and delivers it; calling it failed would invite a duplicate.
 */
final class OutgoingMessages {

    private static final Logger LOG = Logger.getLogger(OutgoingMessages.class.getName());

    static final String UNCONFIRMED = "Engine session ended before the message was confirmed sent";
    static final String NOT_HANDED_OVER = "Session ended before the message was handed to the engine";

    private final MessageStore messages;
    private final EventBus bus;
    private final Clock clock;

    OutgoingMessages(MessageStore messages, EventBus bus, Clock clock) {
        this.messages = messages;
        this.bus = bus;
        this.clock = clock;
    }

    /** Stores a new message, {@code PENDING}, before it goes to the engine. */
    Message store(String sessionId, String to, String text, String idempotencyKey) {
        Instant now = now();
        // Time-ordered (UUIDv7, as event ids): new rows and the recent ones acks update sit together
        // at the end of the key's index instead of on a random page each, so a commit writes fewer pages.
        Message message = new Message(EventIds.next(), sessionId, to, text, MessageStatus.PENDING,
                null, idempotencyKey, now, now, null, List.of());
        messages.insert(message);
        return message;
    }

    /** Records that the engine gets the messages now. */
    void handedOver(List<String> messageIds) {
        messages.markHandedOver(messageIds, now());
    }

    /** Takes back {@link #handedOver}: the engine never got them after all. */
    void notHandedOver(List<String> messageIds) {
        messages.markHandedOver(messageIds, null);
    }

    /** @return the session's {@code PENDING} messages its engine never got, oldest first */
    List<MessageStore.Pending> notHandedOver(String sessionId) {
        return messages.pending(sessionId).stream().filter(m -> m.handedAt() == null).toList();
    }

    /**
     * Settles the {@code PENDING} messages of an ended engine session: {@code FAILED} when handed
     * over before {@code handedBefore}, or when not handed over and {@code reconnects} is false.
     * Returns once they are stored: what reads the messages next sees them settled.
     */
    void settle(String sessionId, String userId, boolean reconnects, Instant handedBefore) {
        List<CompletableFuture<Void>> changes = new ArrayList<>();
        for (MessageStore.Pending m : messages.pending(sessionId)) {
            if (m.handedAt() != null && m.handedAt().isBefore(handedBefore)) {
                changes.add(statusChanged(sessionId, userId, m.messageId(), MessageStatus.FAILED, UNCONFIRMED));
            } else if (m.handedAt() == null && !reconnects) {
                changes.add(statusChanged(sessionId, userId, m.messageId(), MessageStatus.FAILED, NOT_HANDED_OVER));
            }
        }
        CompletableFuture.allOf(changes.toArray(CompletableFuture[]::new)).join();
    }

    /**
     * Records and publishes a status change; one that would move the message back is ignored.
     * Returns before the commit: the event is published once the change is committed, on the
     * database writer's thread, in the order of the session's changes.
     *
     * @return completes once the change is stored and its event published (or failed: logged here)
     */
    CompletableFuture<Void> statusChanged(String sessionId, String userId, String messageId, MessageStatus status,
                                          String error) {
        // When the session took the engine's report, not when its batch runs up to a commit wait later.
        Instant at = now();
        // Read, decided and stored in one transaction of the group commit; published once committed.
        return messages.changeStatus(sessionId, messageId, current -> {
            if (!current.status().canMoveTo(status)) {
                return null;
            }
            Instant deliveredAt = current.deliveredAt();
            if (deliveredAt == null && (status == MessageStatus.DELIVERED || status == MessageStatus.READ)) {
                deliveredAt = at;
            }
            String reason = status == MessageStatus.FAILED ? (error == null ? "Failed" : truncate(error)) : null;
            return new MessageStatusUpdated(sessionId, userId, messageId, status, deliveredAt, reason, at);
        }).thenAccept(stored -> stored.ifPresent(bus::publish)).whenComplete((done, failure) -> {
            if (failure != null) {
                LOG.log(Level.WARNING, "Session " + sessionId + ": could not store " + status + " of message "
                        + messageId, failure);
            }
        });
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static String truncate(String s) {
        return s.length() <= 255 ? s : s.substring(0, 255);
    }
}
