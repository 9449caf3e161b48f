package io.wagateway.delivery;

import io.wagateway.auth.Principal;
import io.wagateway.auth.Role;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * What the delivery side asks of users and sessions. A webhook subscription reaches only what its
 * owner may see now, not what they could see when they made it: an admin demoted or a user
 * disabled stops getting other users' events with the change, as their tokens and sockets stop.
 *
 * @param canAccessSession whether a caller may see a session (its owner, or an admin); may read the database
 * @param activeRole       a user's role, empty when the user is disabled or gone; in memory: asked for every event
 */
public record SubscriberAccess(BiPredicate<Principal, String> canAccessSession,
                               Function<String, Optional<Role>> activeRole) {

    /**
     * @param sessionOwnerId the owner of the event's session
     * @return whether the subscription's owner may get this session's events now
     */
    boolean ownerMaySee(WebhookSubscription s, String sessionOwnerId) {
        Optional<Role> role = activeRole.apply(s.userId());
        return role.isPresent()
                && (role.get() == Role.ADMIN || s.sessionId() != null && s.userId().equals(sessionOwnerId));
    }

    /** @return whether the caller may have the subscription's scope now: every session (admins) or its one session */
    boolean inScope(Principal caller, WebhookSubscription s) {
        return s.sessionId() == null ? caller.isAdmin() : canAccessSession.test(caller, s.sessionId());
    }
}
