package io.wagateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.wagateway.error.DomainException;
import io.wagateway.testing.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The throttling decisions, with the clock moved by hand. */
class LoginGuardTest {

    private static final Duration LOCKOUT = Duration.ofMinutes(5);
    private final ManualClock clock = new ManualClock();
    private final LoginGuard guard = new LoginGuard(new LoginThrottle(6, LOCKOUT, clock),
            new LoginThrottle(3, LOCKOUT, clock), new AccountSlowdown(3, LOCKOUT, Duration.ofSeconds(1), clock));

    @Test
    void anAccountLocksForTheFailingAddressOnly() {
        failTimes(3, "10.0.0.1", "u1");
        assertThrows(DomainException.RateLimited.class, () -> guard.account(guard.begin("10.0.0.1"), "u1"));
        LoginGuard.Attempt elsewhere = guard.account(guard.begin("10.0.0.2"), "u1");
        guard.succeeded(elsewhere);
        clock.advance(LOCKOUT);
        guard.abandoned(guard.account(guard.begin("10.0.0.1"), "u1"));
    }

    @Test
    void anAddressLocksForEveryName() {
        for (int i = 0; i < 6; i++) {
            guard.failed(guard.unknownName(guard.begin("10.0.0.1"), "name" + i));
        }
        DomainException.RateLimited locked = assertThrows(DomainException.RateLimited.class, () -> guard.begin("10.0.0.1"));
        assertEquals(LOCKOUT, locked.retryAfter());
        guard.abandoned(guard.begin("10.0.0.2"));
    }

    @Test
    void anUnknownNameIsCountedUnderItsKeyLikeAnAccount() {
        for (String spelling : java.util.List.of("Nobody", "nobody", "NOBODY")) {
            guard.failed(guard.unknownName(guard.begin("10.0.0.1"), spelling));
        }
        for (int i = 0; i < 3; i++) {
            guard.failed(guard.account(guard.begin("10.0.0.2"), "u1"));
        }
        DomainException.RateLimited name = assertThrows(DomainException.RateLimited.class,
                () -> guard.unknownName(guard.begin("10.0.0.1"), "noBody"));
        DomainException.RateLimited account = assertThrows(DomainException.RateLimited.class,
                () -> guard.account(guard.begin("10.0.0.2"), "u1"));
        assertEquals(account.getMessage(), name.getMessage());
        assertEquals(Duration.ofMillis(250), guard.unknownName(guard.begin("10.0.0.9"), "nobody").delay());
        assertEquals(Duration.ZERO, guard.unknownName(guard.begin("10.0.0.9"), "n0body").delay(), "another name");
    }

    @Test
    void theAccountWideSlowdownGrowsIsCappedAndLifts() {
        failTimes(3, "10.0.0.1", "u1");
        assertEquals(Duration.ofMillis(250), delayFrom("10.0.0.9"));
        failTimes(1, "10.0.0.2", "u1");
        assertEquals(Duration.ofMillis(500), delayFrom("10.0.0.9"));
        failTimes(2, "10.0.0.3", "u1");
        failTimes(2, "10.0.0.4", "u1");
        assertEquals(Duration.ofSeconds(1), delayFrom("10.0.0.9"), "capped");
        assertEquals(Duration.ZERO, guard.account(guard.begin("10.0.0.9"), "u2").delay(), "other accounts are not slowed");
        clock.advance(LOCKOUT);
        assertEquals(Duration.ZERO, delayFrom("10.0.0.9"), "lifts once the failures are old");
    }

    @Test
    void parallelAttemptsOfOnePairCannotOvertakeTheLock() {
        LoginGuard.Attempt a = guard.account(guard.begin("10.0.0.1"), "u1");
        LoginGuard.Attempt b = guard.account(guard.begin("10.0.0.1"), "u1");
        LoginGuard.Attempt c = guard.account(guard.begin("10.0.0.1"), "u1");
        assertThrows(DomainException.RateLimited.class, () -> guard.account(guard.begin("10.0.0.1"), "u1"));
        guard.abandoned(a);
        guard.failed(b);
        guard.failed(c);
        guard.abandoned(guard.account(guard.begin("10.0.0.1"), "u1"));
    }

    private Duration delayFrom(String address) {
        LoginGuard.Attempt attempt = guard.account(guard.begin(address), "u1");
        guard.abandoned(attempt);
        return attempt.delay();
    }

    private void failTimes(int times, String address, String userId) {
        for (int i = 0; i < times; i++) {
            guard.failed(guard.account(guard.begin(address), userId));
        }
    }
}
