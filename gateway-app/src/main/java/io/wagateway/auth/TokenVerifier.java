package io.wagateway.auth;

/**
 * The one token check used by REST, Socket.IO and the web UI. Pure computation (no I/O), so it
 * may run on a Netty I/O thread.
 */
public interface TokenVerifier {

    /**
     * @param token the compact JWT, without any {@code Bearer } prefix; null or blank counts as missing
     * @return the caller
     * @throws InvalidTokenException when the token is missing, malformed, not HS256, wrongly signed,
     *                               expired, or revoked
     */
    Principal verify(String token) throws InvalidTokenException;

    /**
     * Asks again about a principal accepted earlier: a connection accepted while its user was being
     * revoked checks once more after registering, so it cannot slip between the revocation and the
     * cut of the user's connections.
     *
     * @return whether the principal's token would still be accepted
     */
    default boolean isCurrent(Principal principal) {
        return true;
    }
}
