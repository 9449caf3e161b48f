package io.wagateway.socket;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;
import io.wagateway.http.LogThrottle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Bounds how fast one client address opens engine.io sessions. Each handshake (a request without
 * a {@code sid}) is held by netty-socketio, with a copy of its headers, until the client
 * authenticates or the authentication deadline cuts it: without a bound, one address sending
 * handshakes flat out grew the heap by about 12 KB each for those seconds. Over the rate a
 * handshake is answered {@code 429} {@code {"code":3,"message":"Too many handshakes"}} and
 * socket.io-client retries with its backoff; one line a minute is logged for all of them.
 *
 * <p>Per peer address: behind a reverse proxy every client has the proxy's address, so raise
 * {@code gateway.socketio.handshakes-per-second} there, or set it to 0 (no limit).
 */
@Sharable
final class HandshakeLimiter extends ChannelInboundHandlerAdapter {

    static final String NAME = "gatewayHandshakeLimiter";
    static final String TOO_MANY = "{\"code\":3,\"message\":\"Too many handshakes\"}";
    /** A burst of this many seconds' worth at once: a page of tabs, or every client of a restarted proxy. */
    static final int BURST_SECONDS = 10;
    /** Above this many addresses, those idle long enough to have a full bucket again are forgotten. */
    private static final int SWEEP_ABOVE = 10_000;

    private final int perSecond;
    private final InstantSource clock;
    private final LogThrottle log;
    private final ConcurrentHashMap<InetAddress, TokenBucket> buckets = new ConcurrentHashMap<>();

    /** @param perSecond handshakes one address may make per second (a burst of {@value #BURST_SECONDS} times that) */
    HandshakeLimiter(int perSecond, InstantSource clock) {
        this.perSecond = perSecond;
        this.clock = clock;
        this.log = new LogThrottle(Logger.getLogger(HandshakeLimiter.class.getName()), Level.WARNING,
                Duration.ofMinutes(1), clock);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof FullHttpRequest req && isHandshake(req.uri()) && !admit(ctx.channel().remoteAddress())) {
            ReferenceCountUtil.release(req);
            SocketAddress from = ctx.channel().remoteAddress();
            log.log(() -> "Socket.IO handshakes refused: more than " + perSecond + " a second from " + from
                    + " (gateway.socketio.handshakes-per-second)");
            FullHttpResponse res = CorsGate.response(HttpResponseStatus.TOO_MANY_REQUESTS, TOO_MANY);
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    /** Every polling request passes here on an I/O thread: a look for the parameter, not a parse of the query. */
    private static boolean isHandshake(String uri) {
        return !uri.contains("?sid=") && !uri.contains("&sid=");
    }

    private boolean admit(SocketAddress peer) {
        if (!(peer instanceof InetSocketAddress address) || address.getAddress() == null) {
            return true;
        }
        long now = nanos();
        if (buckets.size() > SWEEP_ABOVE) {
            long idle = Duration.ofSeconds(BURST_SECONDS).toNanos();
            buckets.values().removeIf(b -> b.idleFor(now) >= idle);
        }
        return buckets.computeIfAbsent(address.getAddress(), a -> new TokenBucket(perSecond, BURST_SECONDS * perSecond, now))
                .tryTake(now);
    }

    private long nanos() {
        var at = clock.instant();
        return at.getEpochSecond() * 1_000_000_000L + at.getNano();
    }
}
