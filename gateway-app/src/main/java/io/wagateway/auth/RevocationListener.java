package io.wagateway.auth;

/**
 * Told when tokens stop being accepted, so that an edge holding long-lived connections (the
 * Socket.IO server) ends them at once instead of at token expiry. Called after the change is
 * stored and visible to {@link TokenVerifier}, on the thread that made it; must not block.
 */
public interface RevocationListener {

    /** Every token of the user is refused from now on (role change, disable, delete, password change). */
    void userRevoked(String userId, String message);

    /** This one token is refused from now on (signed out). */
    void tokenRevoked(String tokenId, String message);
}
