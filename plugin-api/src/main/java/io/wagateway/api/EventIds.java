package io.wagateway.api;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.UUID;

/**
 * Event ids: UUIDv7 strings (RFC 9562), unique and time-ordered. The host gives every
 * {@link GatewayEvent} one when it happens; the same id travels with every delivery and every
 * retry of that event, so a receiver can drop repeats. Since API 1.2.0.
 *
 * <p>The first 48 bits are the Unix time in milliseconds, the next 12 a counter that keeps the ids
 * of one process strictly increasing within a millisecond, the last 62 random. So ids sort by
 * creation time as text as well as as UUIDs. Thread-safe.
 */
public final class EventIds {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int COUNTER_MAX = 0xFFF;
    private static long lastMillis;
    private static int counter;

    private EventIds() {
    }

    /** @return a new id, greater than every id this class returned before in this process */
    public static String next() {
        long millis;
        int sequence;
        synchronized (EventIds.class) {
            long now = System.currentTimeMillis();
            if (now > lastMillis) {
                lastMillis = now;
                // A random start, leaving room to count up within the millisecond.
                counter = RANDOM.nextInt(COUNTER_MAX / 2);
            } else if (++counter > COUNTER_MAX) {
                // More than 2048 ids in one millisecond (or the clock went back): borrow the next one.
                lastMillis++;
                counter = 0;
            }
            millis = lastMillis;
            sequence = counter;
        }
        long msb = (millis << 16) | 0x7000L | sequence;
        long lsb = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    /**
     * @param eventId an id from {@link #next()}
     * @return the time it encodes (millisecond precision)
     * @throws IllegalArgumentException when it is not a UUIDv7
     */
    public static Instant timeOf(String eventId) {
        UUID uuid = UUID.fromString(eventId);
        if (uuid.version() != 7) {
            throw new IllegalArgumentException("Not a UUIDv7: " + eventId);
        }
        return Instant.ofEpochMilli(uuid.getMostSignificantBits() >>> 16);
    }
}
