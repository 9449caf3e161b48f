package io.wagateway.auth;

import java.time.Instant;

/**
 * A gateway user as stored; {@code passwordHash} never leaves the auth package's services.
 *
 * @param enabled    a disabled user cannot sign in and their tokens are refused
 * @param generation bumped on every change that ends the user's tokens; tokens carry the one they were issued under
 */
public record User(String id, String username, String passwordHash, Role role, Instant createdAt, boolean enabled,
                   long generation) {

    /** A new, enabled user at generation 0. */
    public User(String id, String username, String passwordHash, Role role, Instant createdAt) {
        this(id, username, passwordHash, role, createdAt, true, 0);
    }
}
