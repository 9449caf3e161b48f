package io.wagateway.api;

import java.util.Objects;

/**
 * Refuses an engine action ({@link EngineSession#action}); the host answers the caller with the
 * status that {@link Kind} names and this exception's message, so keep the message fit for API callers.
 */
public class ActionException extends PluginException {

    /** What kind of refusal; the host maps it to an HTTP status. */
    public enum Kind {
        /** The engine has no such action ({@code 404}). */
        UNKNOWN_ACTION,
        /** The parameters are missing or wrong ({@code 400}). */
        INVALID_PARAMS,
        /** Not possible in the session's current state ({@code 409}). */
        NOT_ALLOWED_NOW
    }

    private final Kind kind;

    /**
     * @param kind    the kind of refusal
     * @param message what is wrong, for the API caller
     */
    public ActionException(Kind kind, String message) {
        super(message);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /** @return the kind of refusal */
    public Kind kind() {
        return kind;
    }
}
