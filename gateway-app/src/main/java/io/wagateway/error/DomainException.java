package io.wagateway.error;

import java.time.Duration;
import java.util.Objects;

/**
 * A refusal by a domain service, in the service's own terms. It knows no transport: the REST
 * edge ({@code http.ErrorHandlers}), the Socket.IO edge and the admin web UI each map the family
 * once to their own shape. The family is closed, so an edge's mapping is checked as exhaustive by
 * the compiler.
 *
 * <p>Messages are for people and safe to show: no secrets, no SQL, no stack traces.
 */
public abstract sealed class DomainException extends RuntimeException {

    private DomainException(String message) {
        // No stack trace: these are expected answers, not faults, and are never logged as errors.
        super(Objects.requireNonNull(message, "message"), null, false, false);
    }

    /** What the caller asked for does not exist, or is not theirs (the two look the same). */
    public static final class NotFound extends DomainException {
        public NotFound(String message) {
            super(message);
        }
    }

    /** The request is well formed but the current state does not allow it. */
    public static final class Conflict extends DomainException {
        public Conflict(String message) {
            super(message);
        }
    }

    /** The request's values are wrong; the message names the field. */
    public static final class Invalid extends DomainException {
        public Invalid(String message) {
            super(message);
        }
    }

    /** The caller is known but may not do this. */
    public static final class Forbidden extends DomainException {
        public Forbidden(String message) {
            super(message);
        }
    }

    /** The caller is not (or no longer) identified. */
    public static final class Unauthorized extends DomainException {
        public Unauthorized(String message) {
            super(message);
        }
    }

    /** Too many attempts; the caller may try again after {@link #retryAfter()}. */
    public static final class RateLimited extends DomainException {
        private final Duration retryAfter;

        public RateLimited(String message, Duration retryAfter) {
            super(message);
            this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
        }

        /** @return how long the caller should wait, at least zero */
        public Duration retryAfter() {
            return retryAfter;
        }
    }
}
