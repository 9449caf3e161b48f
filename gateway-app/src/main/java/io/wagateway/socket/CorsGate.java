package io.wagateway.socket;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.CharsetUtil;
import io.netty.util.ReferenceCountUtil;
import io.wagateway.http.CorsPolicy;

/**
 * CORS for the Socket.IO port, in front of netty-socketio's handshake, which on its own would
 * <ul>
 *   <li>answer an Origin outside the allow-list with {@code 401} (Chromium then reports "HTTP
 *       Authentication failed; no valid credentials available"): here it is {@code 403}, with no
 *       CORS headers, and one rate-limited log line naming the Origin ({@link OriginRefusals});</li>
 *   <li>answer a preflight without {@code Access-Control-Allow-Methods} and allowing only
 *       {@code content-type}, so a polling client that adds {@code Authorization} (socket.io-client's
 *       {@code extraHeaders}) is blocked by the browser; and open an engine.io session for each
 *       preflight of a handshake: here a preflight is answered at once and goes no further.</li>
 * </ul>
 * Every HTTP request on the port is checked, websocket upgrades and requests of open sessions too:
 * a browser sends the same Origin on all of them. A request without an Origin is not a browser's
 * cross-origin request and passes ({@link CorsPolicy}).
 */
@Sharable
final class CorsGate extends ChannelInboundHandlerAdapter {

    static final String NAME = "gatewayCorsGate";
    static final String ALLOW_METHODS = "GET, POST, OPTIONS";
    static final String ALLOW_HEADERS = "authorization, content-type";

    private final CorsPolicy cors;
    private final OriginRefusals refusals;

    CorsGate(CorsPolicy cors, OriginRefusals refusals) {
        this.cors = cors;
        this.refusals = refusals;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (!(msg instanceof FullHttpRequest req)) {
            ctx.fireChannelRead(msg);
            return;
        }
        String origin = req.headers().get(HttpHeaderNames.ORIGIN);
        if (!cors.allows(origin)) {
            ReferenceCountUtil.release(req);
            refusals.refused(origin, ctx.channel().remoteAddress());
            FullHttpResponse res = response(HttpResponseStatus.FORBIDDEN, "Origin not allowed");
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=UTF-8");
            closeAfter(ctx, res);
            return;
        }
        if (HttpMethod.OPTIONS.equals(req.method())) {
            ReferenceCountUtil.release(req);
            closeAfter(ctx, preflight(origin));
            return;
        }
        ctx.fireChannelRead(msg);
    }

    /** The answer to a preflight from an allowed Origin (or from a client that sent none). */
    private static FullHttpResponse preflight(String origin) {
        FullHttpResponse res = response(HttpResponseStatus.NO_CONTENT, "");
        if (origin != null) {
            res.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin)
                    // netty-socketio allows credentials on the requests that follow; the preflight must agree.
                    .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true")
                    .set(HttpHeaderNames.VARY, HttpHeaderNames.ORIGIN);
        }
        res.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, ALLOW_METHODS)
                .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, ALLOW_HEADERS)
                .set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, "600");
        return res;
    }

    /** A complete answer that closes the connection (as netty-socketio does after each HTTP answer). */
    static FullHttpResponse response(HttpResponseStatus status, String body) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(body, CharsetUtil.UTF_8));
        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes())
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return res;
    }

    /** netty-socketio closes the connection after each HTTP answer too; this keeps to it. */
    private static void closeAfter(ChannelHandlerContext ctx, FullHttpResponse res) {
        ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }
}
