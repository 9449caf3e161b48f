package io.wagateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    /** A clock the test moves by hand. */
    private static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void locksAfterMaxFailuresAndUnlocksByItself() {
        ManualClock clock = new ManualClock();
        LoginThrottle throttle = new LoginThrottle(3, Duration.ofMinutes(5), clock);
        throttle.failed("Alice");
        throttle.failed("alice");
        assertTrue(throttle.lockedFor("alice").isZero(), "two failures: not yet locked");
        throttle.failed("ALICE");
        assertEquals(Duration.ofMinutes(5), throttle.lockedFor("alice"), "names are compared case-insensitively");
        assertTrue(throttle.lockedFor("bob").isZero(), "other users are not affected");
        clock.now = clock.now.plus(Duration.ofMinutes(5));
        assertTrue(throttle.lockedFor("alice").isZero(), "the lock lifts by itself");
    }

    @Test
    void parallelAttemptsCannotOvertakeTheLock() {
        LoginThrottle throttle = new LoginThrottle(3, Duration.ofMinutes(5), new ManualClock());
        assertTrue(throttle.tryBegin("alice"));
        assertTrue(throttle.tryBegin("alice"));
        assertTrue(throttle.tryBegin("alice"));
        assertTrue(!throttle.tryBegin("alice"), "three guesses in flight: the fourth waits");
        throttle.failed("alice");
        throttle.failed("alice");
        throttle.failed("alice");
        assertEquals(Duration.ofMinutes(5), throttle.lockedFor("alice"));
        assertTrue(!throttle.tryBegin("alice"));
        assertTrue(throttle.tryBegin("bob"), "others unaffected");
    }

    @Test
    void successResetsTheCount() {
        LoginThrottle throttle = new LoginThrottle(2, Duration.ofMinutes(5), new ManualClock());
        throttle.failed("alice");
        throttle.succeeded("alice");
        throttle.failed("alice");
        assertTrue(throttle.lockedFor("alice").isZero());
    }
}
