package io.wagateway.auth;

/** A token was refused; {@link #getMessage()} says why in words fit for the client. */
public final class InvalidTokenException extends Exception {

    /** Why a token was refused. */
    public enum Reason {
        MISSING, MALFORMED, UNSUPPORTED_ALGORITHM, BAD_SIGNATURE, EXPIRED, REVOKED
    }

    private final Reason reason;

    public InvalidTokenException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
