package io.wagateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The contract's timestamp form, written by hand, is exactly what the pattern it replaces gives. */
class JsonTimestampTest {

    private static final DateTimeFormatter PATTERN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    @Test
    void everyInstantIsWrittenAsThePatternWritesIt() {
        SplittableRandom random = new SplittableRandom(42);
        long max = Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli();
        for (int i = 0; i < 200_000; i++) {
            Instant at = Instant.ofEpochMilli(random.nextLong(-62_135_596_800_000L, max + 1));
            assertEquals(PATTERN.format(at), Json.timestamp(at), at.toString());
        }
    }

    @Test
    void theEdgesOfTheFourDigitYearsAndBeyond() {
        for (String s : new String[] {"0001-01-01T00:00:00Z", "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999Z",
                "2026-12-06T12:00:00.007Z", "9999-12-31T23:59:59.999Z", "+10000-01-01T00:00:00Z",
                "0000-12-31T23:59:59.999Z", "-0001-06-01T10:00:00Z"}) {
            Instant at = Instant.parse(s);
            assertEquals(PATTERN.format(at), Json.timestamp(at), s);
        }
    }
}
