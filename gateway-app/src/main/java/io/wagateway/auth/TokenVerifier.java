package io.wagateway.auth;

/**
 * The one token check used by REST, Socket.IO and the web UI. Pure computation (no I/O), so it
 * may run on a Netty I/O thread.
 */
public interface TokenVerifier {

    /**
     * @param token the compact JWT, without any {@code Bearer } prefix; null or blank counts as missing
     * @return the caller
     * @throws InvalidTokenException when the token is missing, malformed, not HS256, wrongly signed or expired
     */
    Principal verify(String token) throws InvalidTokenException;
}
