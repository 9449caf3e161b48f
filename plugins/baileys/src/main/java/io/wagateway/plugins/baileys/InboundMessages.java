package io.wagateway.plugins.baileys;

import io.wagateway.api.EngineContext;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Where incoming messages go. The plugin API has no inbound hook yet, so for now they are only
 * logged (at {@code FINE}, without their text); once {@link EngineContext} can take them, the body
 * of {@link #deliver} becomes the one call into it.
 */
final class InboundMessages {

    private static final Logger LOG = Logger.getLogger(InboundMessages.class.getName());

    /** Receives the incoming messages of one session. */
    @FunctionalInterface
    interface Listener {
        /**
         * @param context the session's context
         * @param message the message
         */
        void received(EngineContext context, InboundMessage message);
    }

    /** The listener sessions use outside tests. */
    static final Listener HOST = InboundMessages::deliver;

    private InboundMessages() {
    }

    /**
     * Hands one incoming message to the host.
     *
     * @param context the session's context
     * @param message the message
     */
    static void deliver(EngineContext context, InboundMessage message) {
        // The host integration: context.messageReceived(...) once the plugin API offers it.
        LOG.log(Level.FINE, () -> "Session " + context.sessionId() + ": " + message.type() + " message " + message.messageId()
                + " from " + message.from() + " in " + message.chatId() + " (not passed on: the plugin API has no inbound hook yet)");
    }
}
