package io.wagateway.plugins.baileys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wagateway.api.InboundMessage;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageInTest {

    private static Map<String, Object> event() {
        return Json.parseObject("{\"v\":1,\"type\":\"message-in\",\"sessionId\":\"s1\",\"messageId\":\"3EB0\","
                + "\"from\":\"+6281234567890\",\"fromPhone\":\"+6281234567890\",\"fromLid\":\"99887766554433@lid\","
                + "\"fromName\":\"Siti\",\"chatId\":\"120363025246125888@g.us\",\"text\":\"halo\",\"messageType\":\"text\","
                + "\"timestamp\":\"2026-12-01T18:40:00.000Z\"}");
    }

    @Test
    void readsEveryFieldTheHostTakes() {
        assertEquals(new InboundMessage("3EB0", "+6281234567890", "Siti", "120363025246125888@g.us", "halo", "text",
                Instant.parse("2026-12-01T18:40:00Z")), MessageIn.parse(event()));
    }

    @Test
    void optionalFieldsMayBeAbsentOrEmptyAndAreThenNull() {
        Map<String, Object> e = new HashMap<>(event());
        e.remove("fromPhone");
        e.remove("fromName");
        e.put("text", "");
        e.put("from", "99887766554433@lid");
        e.put("messageType", "image");
        InboundMessage m = MessageIn.parse(e);
        assertEquals("99887766554433@lid", m.from(), "the LID when the phone number is not known");
        assertNull(m.fromName());
        assertNull(m.text());
        assertEquals("image", m.messageType());
    }

    @Test
    void namesTheFieldThatIsWrong() {
        for (String field : new String[] {"messageId", "from", "chatId", "messageType", "timestamp"}) {
            Map<String, Object> e = new HashMap<>(event());
            e.remove(field);
            IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> MessageIn.parse(e), field);
            assertTrue(x.getMessage().contains("'" + field + "'"), x.getMessage());
        }
        Map<String, Object> badTime = new HashMap<>(event());
        badTime.put("timestamp", "yesterday");
        assertThrows(IllegalArgumentException.class, () -> MessageIn.parse(badTime));
        Map<String, Object> badPhone = new HashMap<>(event());
        badPhone.put("fromPhone", "99887766554433@lid");
        assertThrows(IllegalArgumentException.class, () -> MessageIn.parse(badPhone));
        Map<String, Object> badName = new HashMap<>(event());
        badName.put("fromName", 7L);
        assertThrows(IllegalArgumentException.class, () -> MessageIn.parse(badName));
    }
}
