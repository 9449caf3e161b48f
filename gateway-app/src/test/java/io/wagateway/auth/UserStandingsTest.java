package io.wagateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wagateway.testing.ManualClock;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The in-memory standings never go back: each change is written after its database change, by
 * whichever thread made it, so an older copy may arrive after a newer one.
 */
class UserStandingsTest {

    private static final Instant EXPIRES = Instant.parse("2026-01-01T01:00:00Z");
    private final UserStandings standings = new UserStandings(new ManualClock());

    @Test
    void anOlderCopyWrittenAfterANewerOneDoesNotReplaceIt() {
        User enabled = user(true, 1); // a password change's copy
        User disabled = user(false, 2); // an admin's disable, stored after it
        standings.put(disabled);
        standings.put(enabled);
        assertEquals(Optional.empty(), standings.activeRole("u1"));
        assertEquals(Optional.of("User is disabled"), standings.refusal(principal(1)),
                "the password change's token, issued at generation 1");
    }

    @Test
    void aCopyWrittenAfterTheUserWasRemovedDoesNotBringThemBack() {
        standings.put(user(true, 0));
        standings.put(user(false, 2)); // the delete's disable
        standings.remove("u1");
        standings.put(user(true, 1)); // a password change that read the user before the delete
        assertEquals(Optional.empty(), standings.activeRole("u1"));
        assertEquals(Optional.of("User no longer exists"), standings.refusal(principal(1)));
    }

    @Test
    void aNewerCopyReplacesTheHeldOne() {
        standings.put(user(false, 1));
        standings.put(user(true, 2));
        assertEquals(Optional.of(Role.USER), standings.activeRole("u1"));
        assertEquals(Optional.empty(), standings.refusal(principal(2)));
        assertEquals(Optional.of("Token revoked: the user's role or password changed; sign in again"),
                standings.refusal(principal(1)));
    }

    private static User user(boolean enabled, long generation) {
        return new User("u1", "alice", "hash", Role.USER, Instant.EPOCH, enabled, generation);
    }

    private static Principal principal(long generation) {
        return new Principal("u1", "alice", Role.USER, EXPIRES, "token-" + generation, generation);
    }
}
