package io.wagateway.auth;

import java.time.Instant;

/** A gateway user as stored; {@code passwordHash} never leaves the auth package's services. */
public record User(String id, String username, String passwordHash, Role role, Instant createdAt) {
}
