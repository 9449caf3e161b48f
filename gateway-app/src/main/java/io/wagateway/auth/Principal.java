package io.wagateway.auth;

import java.time.Instant;

/**
 * The caller behind an accepted token, on REST and on Socket.IO alike.
 *
 * @param userId     the user's id (the token's {@code sub})
 * @param username   the user's name
 * @param role       the user's role
 * @param expiresAt  when the token stops being valid
 * @param tokenId    the token's {@code jti}: what signing out revokes
 * @param generation the user's token generation the token was issued under
 */
public record Principal(String userId, String username, Role role, Instant expiresAt, String tokenId, long generation) {

    /** A caller not tied to a revocable token (tests, internal callers). */
    public Principal(String userId, String username, Role role, Instant expiresAt) {
        this(userId, username, role, expiresAt, "", 0);
    }

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }

    /** @return whether this caller may see and control what {@code ownerId} owns */
    public boolean mayAccess(String ownerId) {
        return isAdmin() || userId.equals(ownerId);
    }
}
