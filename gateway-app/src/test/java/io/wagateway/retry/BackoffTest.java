package io.wagateway.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void doublesFromTheInitialDelayUpToTheCap() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000));
        assertEquals(Duration.ofMillis(100), backoff.delay(0));
        assertEquals(Duration.ofMillis(200), backoff.delay(1));
        assertEquals(Duration.ofMillis(800), backoff.delay(3));
        assertEquals(Duration.ofMillis(1000), backoff.delay(4));
        assertEquals(Duration.ofMillis(1000), backoff.delay(Integer.MAX_VALUE));
    }

    @Test
    void aZeroInitialDelayStillBacksOff() {
        Backoff backoff = new Backoff(Duration.ZERO, Duration.ofMillis(8));
        assertEquals(Duration.ofMillis(1), backoff.delay(0));
        assertEquals(Duration.ofMillis(8), backoff.delay(5));
    }

    @Test
    void refusesACapBelowTheInitialDelayAndNegativeCounts() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofMillis(-1), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ZERO).delay(-1));
    }
}
