package io.wagateway.socket;

import com.corundumstudio.socketio.HandshakeData;
import com.corundumstudio.socketio.Transport;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * What netty-socketio keeps of a client's handshake for the whole life of the connection although
 * nothing reads it once the gateway has accepted the token: the CONNECT packet's {@code auth}
 * object (the JWT), and the handshake request's headers and query parameters. With many idle
 * clients that is most of a connection's heap beyond Netty's own objects (about 2 KB of a client's
 * 7.6 KiB in the idle bench with 19,000 clients), so it is dropped at acceptance.
 *
 * <p>The auth object is read only while the CONNECT is handled. The headers are read afterwards
 * for one thing, the {@code Origin} of every polling answer's CORS headers, so a polling client
 * keeps them all (its answers may be built on another thread at any time); a websocket client
 * keeps its {@code Origin} and addresses, and never goes back to polling (a failed websocket is a
 * new engine.io session).
 */
final class HandshakeLeftovers {

    private HandshakeLeftovers() {
    }

    /** Call once the socket is accepted, on the thread handling its CONNECT. */
    static void forget(HandshakeData handshake, Transport transport) {
        handshake.setAuthToken(null);
        if (transport != Transport.WEBSOCKET) {
            return;
        }
        HttpHeaders headers = handshake.getHttpHeaders();
        String origin = headers.get(HttpHeaderNames.ORIGIN);
        headers.clear();
        if (origin != null) {
            headers.set(HttpHeaderNames.ORIGIN, origin);
        }
        handshake.getUrlParams().clear();
    }
}
