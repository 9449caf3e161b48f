package io.wagateway.auth;

/** What a user may do: ADMIN sees and controls everything, USER only their own sessions. */
public enum Role {
    ADMIN,
    USER
}
