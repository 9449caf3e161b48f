package io.wagateway.socket;

import com.corundumstudio.socketio.Configuration;
import com.corundumstudio.socketio.SocketIOChannelInitializer;
import com.corundumstudio.socketio.handler.EncoderHandler;
import com.corundumstudio.socketio.namespace.NamespacesHub;
import io.netty.channel.ChannelInboundHandler;
import io.netty.channel.ChannelPipeline;
import io.wagateway.http.LogThrottle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * netty-socketio's pipeline with the {@link PollingGate} right after its HTTP decoder, the
 * {@link CorsGate} and the {@link HandshakeLimiter} in front of its handshake, the
 * {@link HandshakeGuard} in front of its packet handler, that handler inside
 * {@link MalformedPackets}, the {@link PollingChannelRelease} in front of its polling transport and
 * its encoder replaced by the {@link BatchingEncoderHandler} on the {@link CompletePollingEncoder},
 * and its ping timeouts told to the {@link PingTimeouts}.
 */
final class GuardedChannelInitializer extends SocketIOChannelInitializer {

    private final CorsGate cors;
    private final HandshakeLimiter limiter;
    private final HandshakeGuard guard;
    private final MalformedPackets malformed;
    private final LogThrottle pollingRefusals;
    private final PingTimeouts pingTimeouts;
    private EncoderHandler encoder;
    private String path;
    private int maxPayloadBytes;
    private Predicate<UUID> knownSession;
    private PollingChannelRelease pollingRelease;

    /** @param limiter null for no limit on handshakes */
    GuardedChannelInitializer(CorsGate cors, HandshakeLimiter limiter, HandshakeGuard guard, MalformedPackets malformed,
                              PingTimeouts pingTimeouts, InstantSource clock) {
        this.cors = cors;
        this.limiter = limiter;
        this.guard = guard;
        this.malformed = malformed;
        this.pingTimeouts = pingTimeouts;
        this.pollingRefusals = new LogThrottle(Logger.getLogger(PollingGate.class.getName()), Level.INFO,
                Duration.ofMinutes(1), clock);
    }

    @Override
    public void start(Configuration configuration, NamespacesHub namespaces) {
        NettySocketIoInternals.watchPingTimeouts(this, pingTimeouts);
        super.start(configuration, namespaces);
        path = configuration.getContext();
        maxPayloadBytes = configuration.getMaxHttpContentLength();
        knownSession = NettySocketIoInternals.sessions(this);
        pollingRelease = NettySocketIoInternals.pollingRelease(this);
        try {
            encoder = new BatchingEncoderHandler(configuration,
                    new CompletePollingEncoder(configuration, configuration.getJsonSupport()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected void addSocketioHandlers(ChannelPipeline pipeline) {
        super.addSocketioHandlers(pipeline);
        pipeline.addAfter(HTTP_REQUEST_DECODER, PollingGate.NAME,
                new PollingGate(path, maxPayloadBytes, knownSession, pollingRefusals));
        pipeline.addBefore(AUTHORIZE_HANDLER, CorsGate.NAME, cors);
        if (limiter != null) {
            // After the CORS gate: a refused Origin's handshakes are not counted against its address.
            pipeline.addBefore(AUTHORIZE_HANDLER, HandshakeLimiter.NAME, limiter);
        }
        pipeline.addBefore(PACKET_HANDLER, HandshakeGuard.NAME, guard);
        pipeline.replace(PACKET_HANDLER, PACKET_HANDLER, malformed.around((ChannelInboundHandler) pipeline.get(PACKET_HANDLER)));
        pipeline.replace(SOCKETIO_ENCODER, SOCKETIO_ENCODER, encoder);
        if (pollingRelease != null) {
            pipeline.addBefore(XHR_POLLING_TRANSPORT, PollingChannelRelease.NAME, pollingRelease);
        }
    }
}
