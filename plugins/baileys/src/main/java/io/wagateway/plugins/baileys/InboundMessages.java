package io.wagateway.plugins.baileys;

import io.wagateway.api.EngineContext;

/**
 * Where incoming messages go: to the host, through {@link EngineContext#messageReceived}, which
 * stores them and publishes {@code message_received}.
 */
final class InboundMessages {

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
        context.messageReceived(new io.wagateway.api.InboundMessage(message.messageId(), message.from(),
                message.fromName().orElse(null), message.chatId(), message.text().orElse(null), message.type(),
                message.timestamp()));
    }
}
