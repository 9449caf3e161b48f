package io.wagateway.socket;

import com.corundumstudio.socketio.Configuration;
import com.corundumstudio.socketio.SocketIOChannelInitializer;
import com.corundumstudio.socketio.handler.EncoderHandler;
import com.corundumstudio.socketio.namespace.NamespacesHub;
import io.netty.channel.ChannelPipeline;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * netty-socketio's pipeline with the {@link CorsGate} in front of its handshake, the
 * {@link HandshakeGuard} in front of its packet handler and its encoder built on the
 * {@link CompletePollingEncoder}.
 */
final class GuardedChannelInitializer extends SocketIOChannelInitializer {

    private final CorsGate cors;
    private final HandshakeGuard guard;
    private EncoderHandler encoder;

    GuardedChannelInitializer(CorsGate cors, HandshakeGuard guard) {
        this.cors = cors;
        this.guard = guard;
    }

    @Override
    public void start(Configuration configuration, NamespacesHub namespaces) {
        super.start(configuration, namespaces);
        try {
            encoder = new EncoderHandler(configuration,
                    new CompletePollingEncoder(configuration, configuration.getJsonSupport()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected void addSocketioHandlers(ChannelPipeline pipeline) {
        super.addSocketioHandlers(pipeline);
        pipeline.addBefore(AUTHORIZE_HANDLER, CorsGate.NAME, cors);
        pipeline.addBefore(PACKET_HANDLER, HandshakeGuard.NAME, guard);
        pipeline.replace(SOCKETIO_ENCODER, SOCKETIO_ENCODER, encoder);
    }
}
