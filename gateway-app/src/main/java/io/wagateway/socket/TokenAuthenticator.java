package io.wagateway.socket;

import com.corundumstudio.socketio.AuthTokenListener;
import com.corundumstudio.socketio.AuthTokenResult;
import com.corundumstudio.socketio.SocketIOClient;
import com.corundumstudio.socketio.transport.NamespaceClient;
import io.wagateway.auth.InvalidTokenException;
import io.wagateway.auth.Principal;
import io.wagateway.auth.TokenVerifier;
import io.wagateway.config.GatewaySettings;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Checks the v4 handshake's {@code auth.token} with the REST verifier (pure CPU, fine on an I/O
 * thread) and the per-user socket cap. A refusal becomes {@code connect_error} with
 * {@code err.message} saying why and {@code err.data.code}.
 *
 * <p>netty-socketio calls this only when the CONNECT packet carries an {@code auth} object; a
 * CONNECT without one is refused by {@link HandshakeGuard} through {@link #refuseMissing}.
 */
final class TokenAuthenticator implements AuthTokenListener {

    private static final Logger LOG = Logger.getLogger(TokenAuthenticator.class.getName());

    private final TokenVerifier verifier;
    private final SocketRegistry registry;
    private final Disconnector disconnector;
    private final GatewaySettings.SocketIo settings;

    TokenAuthenticator(TokenVerifier verifier, SocketRegistry registry, Disconnector disconnector,
                       GatewaySettings.SocketIo settings) {
        this.verifier = verifier;
        this.registry = registry;
        this.disconnector = disconnector;
        this.settings = settings;
    }

    @Override
    public AuthTokenResult getAuthTokenResult(Object auth, SocketIOClient client) {
        Principal principal;
        try {
            principal = verifier.verify(token(auth));
        } catch (InvalidTokenException e) {
            LOG.fine(() -> "Socket " + client.getSessionId() + " refused: " + e.reason());
            disconnector.refused(client);
            return refusal(ErrorCode.UNAUTHORIZED, e.getMessage());
        }
        Optional<SocketState> state = registry.accept(client, principal, settings.maxSocketsPerUser(),
                settings.eventsPerSecond());
        if (state.isEmpty()) {
            disconnector.refused(client);
            return refusal(ErrorCode.LIMIT_EXCEEDED,
                    "Too many connections for this user (at most " + settings.maxSocketsPerUser() + ")");
        }
        if (state.get().principal() == principal) {
            if (!((NamespaceClient) client).getBaseClient().isConnected()) {
                // Closed while we were checking: its disconnect listener has already run.
                registry.remove(client.getSessionId());
            } else if (!verifier.isCurrent(principal)) {
                // Revoked between the check and the registration, so the revocation's cut missed it.
                registry.remove(client.getSessionId());
                disconnector.refused(client);
                return refusal(ErrorCode.UNAUTHORIZED, "Token revoked");
            } else {
                disconnector.expireAt(state.get(), principal.expiresAt());
                HandshakeLeftovers.forget(client.getHandshakeData(), client.getTransport());
            }
        }
        return AuthTokenResult.AuthTokenResultSuccess;
    }

    /** The CONNECT packet data for a client that sent no {@code auth} at all. */
    static Map<String, Object> missingAuth() {
        return EventPayloads.connectError(ErrorCode.UNAUTHORIZED, "Missing token");
    }

    private static String token(Object auth) {
        return auth instanceof Map<?, ?> map && map.get("token") instanceof String token ? token : null;
    }

    private static AuthTokenResult refusal(ErrorCode code, String message) {
        return new AuthTokenResult(false, EventPayloads.connectError(code, message));
    }
}
