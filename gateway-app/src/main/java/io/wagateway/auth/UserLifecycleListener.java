package io.wagateway.auth;

/**
 * Lets what users own (sessions) go with them, without auth knowing the owner's package: the
 * assembly registers the session service here.
 */
public interface UserLifecycleListener {

    /**
     * The user is about to be deleted: their tokens are already refused, so they cannot create
     * anything new. Remove what they own; may block. A failure keeps the user (disabled).
     *
     * @param admin the administrator deleting them, whose rights the removal uses
     */
    void userDeleting(Principal admin, String userId);
}
