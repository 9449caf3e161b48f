package io.wagateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Event ids are UUIDv7, unique, increasing as text, and carry their creation time. */
class EventIdsTest {

    @Test
    void idsAreVersion7AndStrictlyIncreasing() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            ids.add(EventIds.next());
        }
        assertEquals(ids.size(), new HashSet<>(ids).size(), "unique");
        for (int i = 1; i < ids.size(); i++) {
            assertTrue(ids.get(i - 1).compareTo(ids.get(i)) < 0, ids.get(i - 1) + " < " + ids.get(i));
        }
        UUID uuid = UUID.fromString(ids.getFirst());
        assertEquals(7, uuid.version());
        assertEquals(2, uuid.variant());
    }

    @Test
    void timeOfReadsTheMillisecond() {
        long before = System.currentTimeMillis();
        String id = EventIds.next();
        Instant at = EventIds.timeOf(id);
        // A burst may borrow a millisecond or two ahead, never go back.
        assertTrue(at.toEpochMilli() >= before && at.toEpochMilli() <= System.currentTimeMillis() + 5, at.toString());
        assertThrows(IllegalArgumentException.class, () -> EventIds.timeOf(UUID.randomUUID().toString()));
    }

    @Test
    void eventsGetAnIdFromTheEarlierConstructors() {
        Instant t = Instant.parse("2026-12-01T10:00:00Z");
        SessionStatusChanged a = new SessionStatusChanged("s", "u", SessionStatus.CONNECTED, null, null, null, t);
        SessionStatusChanged b = new SessionStatusChanged("s", "u", SessionStatus.CONNECTED, null, null, null, t);
        assertTrue(a.eventId().compareTo(b.eventId()) < 0);
        assertEquals("e1", new QrCodeUpdated("s", "u", "2@q", 1, t, t, "e1").eventId());
    }
}
