package io.wagateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wagateway.testing.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

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
        clock.advance(Duration.ofMinutes(5));
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
