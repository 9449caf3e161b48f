package io.wagateway.auth;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-memory view every token check consults, so that it stays pure CPU (it runs on Netty I/O
 * threads): each user's role, enabled flag and token generation, and the signed-out tokens until
 * they expire. Loaded at start-up and updated by {@link UserService} right after each database
 * change, before anyone is told of it. Those updates come from the threads that made the changes,
 * in no set order, so a copy replaces the held one only when its generation is higher (every
 * stored change bumps it), and a removed user stays removed.
 *
 * <p>One node only: another node's changes reach this view only on its restart (see the README).
 */
public final class UserStandings {

    /** What a token of this user must match. */
    private record Standing(Role role, boolean enabled, long generation) {

        /** A removed user: newer than any copy still on its way, so none brings them back. */
        static final Standing GONE = new Standing(Role.USER, false, Long.MAX_VALUE);

        Standing newer(Standing other) {
            return other.generation() > generation ? other : this;
        }
    }

    private final ConcurrentHashMap<String, Standing> users = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Instant> revoked = new ConcurrentHashMap<>();
    private final Clock clock;

    public UserStandings(Clock clock) {
        this.clock = clock;
    }

    void load(Collection<User> all, Map<String, Instant> revokedTokens) {
        all.forEach(this::put);
        revoked.putAll(revokedTokens);
    }

    /** Takes the user's copy unless the one held is as new or newer. */
    void put(User user) {
        users.merge(user.id(), new Standing(user.role(), user.enabled(), user.generation()), Standing::newer);
    }

    /** Keeps a mark for the user until restart (one small entry per user deleted meanwhile). */
    void remove(String userId) {
        users.put(userId, Standing.GONE);
    }

    void revoke(String tokenId, Instant expiresAt) {
        Instant now = clock.instant();
        // Entries past their expiry guard nothing (the token is refused as expired): drop them here.
        revoked.values().removeIf(exp -> !exp.isAfter(now));
        revoked.put(tokenId, expiresAt);
    }

    /** @return the user's role, or empty when the user is disabled or unknown */
    public Optional<Role> activeRole(String userId) {
        Standing standing = users.get(userId);
        return standing == null || !standing.enabled() ? Optional.empty() : Optional.of(standing.role());
    }

    /** @return why the principal's token no longer stands, or empty when it does */
    Optional<String> refusal(Principal principal) {
        Standing standing = users.get(principal.userId());
        if (standing == null || standing == Standing.GONE) {
            return Optional.of("User no longer exists");
        }
        if (!standing.enabled()) {
            return Optional.of("User is disabled");
        }
        if (standing.generation() != principal.generation() || standing.role() != principal.role()) {
            return Optional.of("Token revoked: the user's role or password changed; sign in again");
        }
        if (revoked.containsKey(principal.tokenId())) {
            return Optional.of("Token revoked: signed out");
        }
        return Optional.empty();
    }
}
