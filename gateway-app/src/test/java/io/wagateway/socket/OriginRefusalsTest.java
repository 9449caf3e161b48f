package io.wagateway.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** One line per refused Origin per minute, with the refusals it did not log counted in the next. */
class OriginRefusalsTest {

    /** The time the test moves by hand. */
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final OriginRefusals refusals = new OriginRefusals(() -> now);

    @Test
    void oneLinePerOriginPerMinuteThenTheCountOfTheUnloggedOnes() {
        String line = refusals.line("http://evil.example").orElseThrow();
        assertTrue(line.contains("'http://evil.example'") && line.contains("gateway.cors.origins"), line);
        assertEquals(Optional.empty(), refusals.line("http://evil.example"));
        assertTrue(refusals.line("http://other.example").isPresent(), "another Origin has its own line");
        now = now.plus(OriginRefusals.WINDOW).minusMillis(1);
        assertEquals(Optional.empty(), refusals.line("http://evil.example"));
        now = now.plusMillis(1);
        String next = refusals.line("http://evil.example").orElseThrow();
        assertTrue(next.contains("2 more refused since the last line"), next);
        now = now.plus(Duration.ofMinutes(5));
        assertTrue(!refusals.line("http://evil.example").orElseThrow().contains("more refused"));
    }

    @Test
    void inventedOriginsCannotGrowItOrFloodTheLog() {
        for (int i = 0; i < OriginRefusals.MAX_TRACKED; i++) {
            assertTrue(refusals.line("http://o" + i + ".example").isPresent());
        }
        String shared = refusals.line("http://one-too-many.example").orElseThrow();
        assertTrue(shared.contains("more than " + OriginRefusals.MAX_TRACKED + " distinct Origins"), shared);
        assertEquals(Optional.empty(), refusals.line("http://and-another.example"));
        now = now.plus(OriginRefusals.WINDOW);
        assertTrue(refusals.line("http://and-another.example").orElseThrow().contains("'http://and-another.example'"),
                "old entries make room again");
    }

    @Test
    void controlCharactersInAnOriginDoNotReachTheLog() {
        String line = refusals.line("http://x.example\nFAKE LOG LINE").orElseThrow();
        assertTrue(!line.contains("\n") && line.contains("http://x.example?FAKE LOG LINE"), line);
    }
}
