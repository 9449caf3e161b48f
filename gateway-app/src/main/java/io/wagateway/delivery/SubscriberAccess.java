package io.wagateway.delivery;

import io.wagateway.auth.Principal;
import io.wagateway.auth.Role;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * What the delivery side asks of users and sessions. A webhook subscription reaches only what its
 * owner may see now, not what they could see when they made it: an admin demoted or a user
 * disabled stops getting other users' events with the change, as their tokens and sockets stop,
 * also those already queued for it (checked again when each is sent).
 *
 * @param canAccessSession whether a caller may see a session (its owner, or an admin); may read the database
 * @param activeRole       a user's role, empty when the user is disabled or gone; in memory: asked for every event
 */
public record SubscriberAccess(BiPredicate<Principal, String> canAccessSession,
                               Function<String, Optional<Role>> activeRole) {

    /**
     * @param sessionOwnerId the owner of the event's session
     * @return whether the subscription's owner may get this session's events now: an enabled
     *     admin every session's, an enabled user their own sessions'
     */
    boolean ownerMaySee(WebhookSubscription s, String sessionOwnerId) {
        Optional<Role> role = activeRole.apply(s.userId());
        return role.isPresent() && (role.get() == Role.ADMIN || s.userId().equals(sessionOwnerId));
    }

    /** @return the owner whose sessions' events the subscription reaches now; "" for every session's (an admin's) */
    String sessionOwners(WebhookSubscription s) {
        return activeRole.apply(s.userId()).filter(r -> r == Role.ADMIN).isPresent() ? "" : s.userId();
    }

    /**
     * @return whether the caller may have the subscription's scope now: a subscription to every
     *     session reaches only what its owner may see ({@link #ownerMaySee}), so anyone who may see
     *     it has its scope; one to a session, who may see that session
     */
    boolean inScope(Principal caller, WebhookSubscription s) {
        return s.sessionId() == null || canAccessSession.test(caller, s.sessionId());
    }
}
