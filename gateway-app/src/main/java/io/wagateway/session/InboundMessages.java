package io.wagateway.session;

import io.wagateway.api.InboundMessage;
import io.wagateway.api.MessageReceived;
import io.wagateway.event.EventBus;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The sessions' inbound messages as their engines report them: each new one stored, then published
 * as {@link MessageReceived}, so what a client or sink is told can always be listed afterwards.
 * Called on the session's executor (from {@link HostEngineContext}): a message does not wait for
 * its commit, and its event is published once committed, from the database writer, in the order
 * the executor queued the session's writes, so a session's inbound messages keep their order among
 * its other events, and a burst of them shares commits. Checking for a repeat and storing happen
 * in one transaction.
 *
 * <p>A message id the session already has is ignored: engines may report a message again after a
 * reconnect. A report that cannot be stored as it is (an id longer than the column) is logged and
 * dropped rather than failing the engine; a sender name or type that is too long is shortened.
 */
public final class InboundMessages {

    private static final Logger LOG = Logger.getLogger(InboundMessages.class.getName());
    private static final int MAX_ID = 128;
    private static final int MAX_NAME = 100;
    private static final int MAX_TYPE = 32;

    private final InboundMessageStore store;
    private final EventBus bus;
    private final Clock clock;

    public InboundMessages(InboundMessageStore store, EventBus bus, Clock clock) {
        this.store = store;
        this.bus = bus;
        this.clock = clock;
    }

    /**
     * Stores and publishes one inbound message of the session; a repeat is ignored. Returns before
     * the commit: the event is published once the message is committed, on the database writer's
     * thread, in the order of the session's writes.
     *
     * @return completes once the message is stored and its event published (or failed: logged here)
     */
    CompletableFuture<Void> received(String sessionId, String userId, InboundMessage m) {
        if (unstorable(m.messageId()) || unstorable(m.from()) || unstorable(m.chatId()) || m.messageType().isEmpty()) {
            LOG.warning(() -> "Session " + sessionId + ": inbound message dropped, its id, sender or chat is empty"
                    + " or longer than " + MAX_ID + " characters (or its type is empty)");
            return CompletableFuture.completedFuture(null);
        }
        Instant sentAt = m.timestamp().truncatedTo(ChronoUnit.MILLIS);
        ReceivedMessage stored = new ReceivedMessage(sessionId, m.messageId(), m.from(), shorten(m.fromName(), MAX_NAME),
                m.chatId(), m.text(), shorten(m.messageType(), MAX_TYPE), sentAt, clock.instant().truncatedTo(ChronoUnit.MILLIS));
        // Stored first: an event a client saw is always in the list, and a failed write publishes nothing.
        // A repeat (the same id again) is not stored and not published again.
        MessageReceived event = new MessageReceived(sessionId, userId, stored.messageId(), stored.from(),
                stored.fromName(), stored.chatId(), stored.text(), stored.type(), sentAt);
        return store.insert(stored, event).thenAccept(fresh -> {
            if (fresh) {
                bus.publish(event);
            }
        }).whenComplete((done, failure) -> {
            if (failure != null) {
                LOG.log(Level.WARNING, "Session " + sessionId + ": could not store inbound message "
                        + stored.messageId(), failure);
            }
        });
    }

    private static boolean unstorable(String id) {
        return id.isEmpty() || id.length() > MAX_ID;
    }

    /** At most {@code max} UTF-16 units (so it fits the column on H2 and MariaDB), never half a character. */
    private static String shorten(String s, int max) {
        if (s == null || s.length() <= max) {
            return s;
        }
        int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
        return s.substring(0, end);
    }
}
