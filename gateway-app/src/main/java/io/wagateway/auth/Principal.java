package io.wagateway.auth;

import java.time.Instant;

/**
 * The caller behind an accepted token, on REST and on Socket.IO alike.
 *
 * @param userId    the user's id (the token's {@code sub})
 * @param username  the user's name
 * @param role      the user's role
 * @param expiresAt when the token stops being valid
 */
public record Principal(String userId, String username, Role role, Instant expiresAt) {

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }

    /** @return whether this caller may see and control what {@code ownerId} owns */
    public boolean mayAccess(String ownerId) {
        return isAdmin() || userId.equals(ownerId);
    }
}
