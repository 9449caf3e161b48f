package io.wagateway.socket;

import com.corundumstudio.socketio.SocketIOClient;
import com.corundumstudio.socketio.listener.ExceptionListener;
import io.netty.channel.ChannelHandlerContext;
import io.wagateway.http.LogThrottle;
import java.io.IOException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * netty-socketio's exception listener, logging the gateway's way. The library's default logs
 * everything at SEVERE with a stack trace, a client's reset connection too, so a client could fill
 * the log at will. A connection's I/O error is the client's going: closed, logged at FINE. Any
 * other failure on a connection closes it with one throttled line. An exception out of one of the
 * gateway's own listeners is a defect: one throttled WARNING line names it.
 *
 * <p>Called on Netty's I/O threads; thread-safe.
 */
final class SocketExceptions implements ExceptionListener {

    private static final Logger LOG = Logger.getLogger(SocketExceptions.class.getName());
    private static final Duration LOG_INTERVAL = Duration.ofSeconds(10);

    private final LogThrottle connections;
    private final LogThrottle defects;

    SocketExceptions(InstantSource clock) {
        this.connections = new LogThrottle(LOG, Level.INFO, LOG_INTERVAL, clock);
        this.defects = new LogThrottle(LOG, Level.WARNING, LOG_INTERVAL, clock);
    }

    @Override
    public boolean exceptionCaught(ChannelHandlerContext ctx, Throwable e) {
        if (e instanceof IOException) {
            LOG.fine(() -> "Socket.IO connection from " + ctx.channel().remoteAddress() + " failed: " + e);
        } else {
            connections.log(() -> "Closed a Socket.IO connection from " + ctx.channel().remoteAddress() + ": "
                    + e.getClass().getName());
        }
        ctx.close();
        return true;
    }

    @Override
    public void onEventException(Exception e, List<Object> args, SocketIOClient client) {
        defect("an event's listener", e, client);
    }

    @Override
    public void onDisconnectException(Exception e, SocketIOClient client) {
        defect("the disconnect listener", e, client);
    }

    @Override
    public void onConnectException(Exception e, SocketIOClient client) {
        defect("the connect listener", e, client);
    }

    @Override
    @Deprecated
    public void onPingException(Exception e, SocketIOClient client) {
        defect("the ping listener", e, client);
    }

    @Override
    public void onPongException(Exception e, SocketIOClient client) {
        defect("the pong listener", e, client);
    }

    @Override
    public void onAuthException(Throwable e, SocketIOClient client) {
        defect("the auth listener", e, client);
    }

    private void defect(String where, Throwable e, SocketIOClient client) {
        defects.log(() -> "A defect: " + where + " threw for Socket.IO client " + client.getSessionId() + ": " + e);
    }
}
