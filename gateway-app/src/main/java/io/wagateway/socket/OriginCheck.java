package io.wagateway.socket;

import com.corundumstudio.socketio.AuthorizationListener;
import com.corundumstudio.socketio.AuthorizationResult;
import com.corundumstudio.socketio.HandshakeData;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.wagateway.http.CorsPolicy;
import java.util.logging.Logger;

/**
 * The engine.io handshake's Origin against the allow-list REST uses (netty-socketio itself would
 * reflect any Origin). A refused handshake gets HTTP 401; the client reports a transport error.
 */
final class OriginCheck implements AuthorizationListener {

    private static final Logger LOG = Logger.getLogger(OriginCheck.class.getName());

    private final CorsPolicy cors;

    OriginCheck(CorsPolicy cors) {
        this.cors = cors;
    }

    @Override
    public AuthorizationResult getAuthorizationResult(HandshakeData data) {
        String origin = data.getHttpHeaders().get(HttpHeaderNames.ORIGIN);
        if (cors.allows(origin)) {
            return AuthorizationResult.SUCCESSFUL_AUTHORIZATION;
        }
        LOG.fine(() -> "Socket.IO handshake refused for origin " + origin + " from " + data.getAddress());
        return AuthorizationResult.FAILED_AUTHORIZATION;
    }
}
