package io.wagateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wagateway.testing.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The account-wide slowdown's memory, now that unknown names are counted too. */
class AccountSlowdownTest {

    private static final Duration WINDOW = Duration.ofMinutes(5);
    private final ManualClock clock = new ManualClock();
    private final AccountSlowdown slowdown = new AccountSlowdown(3, WINDOW, Duration.ofSeconds(1), clock);

    @Test
    void randomNamesAreForgottenOnceOldButALiveSlowdownStays() {
        for (int i = 0; i < 100_000; i++) {
            slowdown.failed("name random-" + i);
        }
        clock.advance(WINDOW.minusMinutes(1));
        for (int i = 0; i < 4; i++) {
            slowdown.failed("name target");
        }
        assertEquals(Duration.ofMillis(500), slowdown.delay("name target"));

        clock.advance(Duration.ofMinutes(1));
        slowdown.failed("name another");
        assertEquals(2, slowdown.size(), "the random names' failures are past the window: only the live two stay");
        assertEquals(Duration.ofMillis(500), slowdown.delay("name target"), "a live slowdown survives the sweep");
    }
}
