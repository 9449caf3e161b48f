package io.wagateway.socket;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.CharsetUtil;
import io.netty.util.ReferenceCountUtil;
import io.wagateway.http.LogThrottle;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Answers the polling requests netty-socketio mishandles, right after the HTTP decoder (before the
 * body is aggregated), the way an engine.io server does, so socket.io-client reports a transport
 * error and reconnects:
 * <ul>
 *   <li>a malformed {@code sid} (netty-socketio: no answer, the connection held, a stack trace
 *       logged) or an unknown one (netty-socketio: {@code 500}): {@code 400}
 *       {@code {"code":1,"message":"Session ID unknown"}};</li>
 *   <li>a method other than GET, POST or OPTIONS ({@code 500}): {@code 400}
 *       {@code {"code":2,"message":"Bad handshake method"}};</li>
 *   <li>a body declared larger than {@code gateway.socketio.max-payload-bytes} (closed without
 *       an answer): {@code 413}, before the body is read.</li>
 * </ul>
 * Each answer closes the connection; one line a minute is logged for all of them. One instance
 * per channel (it remembers to drop the rest of a refused request's body).
 */
final class PollingGate extends ChannelInboundHandlerAdapter {

    static final String NAME = "gatewayPollingGate";
    static final String SESSION_UNKNOWN = "{\"code\":1,\"message\":\"Session ID unknown\"}";
    static final String BAD_METHOD = "{\"code\":2,\"message\":\"Bad handshake method\"}";

    private final String path;
    private final int maxPayloadBytes;
    private final Predicate<UUID> knownSession;
    private final LogThrottle log;
    private boolean discarding;

    PollingGate(String path, int maxPayloadBytes, Predicate<UUID> knownSession, LogThrottle log) {
        this.path = path;
        this.maxPayloadBytes = maxPayloadBytes;
        this.knownSession = knownSession;
        this.log = log;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (discarding && msg instanceof HttpContent) {
            discarding = !(msg instanceof LastHttpContent);
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest req) {
            FullHttpResponse refusal = refusal(req);
            if (refusal != null) {
                discarding = !(msg instanceof LastHttpContent);
                ReferenceCountUtil.release(msg);
                log.log(() -> "Refused a Socket.IO polling request (" + refusal.status().code() + ": "
                        + refusal.content().toString(CharsetUtil.UTF_8) + ") from " + ctx.channel().remoteAddress());
                // From the tail: the HTTP encoder sits after this handler.
                ctx.channel().writeAndFlush(refusal).addListener(ChannelFutureListener.CLOSE);
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    /** @return the answer for a request that goes no further, or null to pass it on */
    FullHttpResponse refusal(HttpRequest req) {
        if (HttpUtil.getContentLength(req, -1L) > maxPayloadBytes) {
            return response(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "text/plain; charset=UTF-8",
                    "Payload larger than " + maxPayloadBytes + " bytes");
        }
        QueryStringDecoder query = new QueryStringDecoder(req.uri());
        if (!query.path().startsWith(path) || !"polling".equals(first(query, "transport"))) {
            return null;
        }
        String sid = first(query, "sid");
        if (sid == null) {
            return null; // a handshake: netty-socketio's own
        }
        HttpMethod method = req.method();
        if (!HttpMethod.GET.equals(method) && !HttpMethod.POST.equals(method) && !HttpMethod.OPTIONS.equals(method)) {
            return response(HttpResponseStatus.BAD_REQUEST, "application/json", BAD_METHOD);
        }
        UUID id;
        try {
            id = UUID.fromString(sid);
        } catch (IllegalArgumentException e) {
            return response(HttpResponseStatus.BAD_REQUEST, "application/json", SESSION_UNKNOWN);
        }
        return knownSession.test(id) ? null : response(HttpResponseStatus.BAD_REQUEST, "application/json", SESSION_UNKNOWN);
    }

    private static String first(QueryStringDecoder query, String name) {
        List<String> values = query.parameters().get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    private static FullHttpResponse response(HttpResponseStatus status, String type, String body) {
        FullHttpResponse res = CorsGate.response(status, body);
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        return res;
    }
}
