package io.wagateway.plugins.baileys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InboundMessageTest {

    private static Map<String, Object> event() {
        return Json.parseObject("{\"v\":1,\"type\":\"message-in\",\"sessionId\":\"s1\",\"messageId\":\"3EB0\","
                + "\"from\":\"+6281234567890\",\"fromPhone\":\"+6281234567890\",\"fromLid\":\"99887766554433@lid\","
                + "\"fromName\":\"Siti\",\"chatId\":\"120363025246125888@g.us\",\"text\":\"halo\",\"messageType\":\"text\","
                + "\"timestamp\":\"2026-12-01T18:40:00.000Z\"}");
    }

    @Test
    void parsesEveryField() {
        assertEquals(new InboundMessage("s1", "3EB0", "+6281234567890", Optional.of("+6281234567890"),
                Optional.of("99887766554433@lid"), Optional.of("Siti"), "120363025246125888@g.us", Optional.of("halo"),
                "text", Instant.parse("2026-12-01T18:40:00Z")), InboundMessage.parse(event()));
    }

    @Test
    void optionalFieldsMayBeAbsentOrEmpty() {
        Map<String, Object> e = new HashMap<>(event());
        e.remove("fromPhone");
        e.remove("fromName");
        e.put("text", "");
        e.put("from", "99887766554433@lid");
        InboundMessage m = InboundMessage.parse(e);
        assertEquals("99887766554433@lid", m.from());
        assertEquals(Optional.empty(), m.fromPhone());
        assertEquals(Optional.empty(), m.fromName());
        assertEquals(Optional.empty(), m.text());
    }

    @Test
    void namesTheFieldThatIsWrong() {
        for (String field : new String[] {"sessionId", "messageId", "from", "chatId", "messageType", "timestamp"}) {
            Map<String, Object> e = new HashMap<>(event());
            e.remove(field);
            IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> InboundMessage.parse(e), field);
            assertTrue(x.getMessage().contains("'" + field + "'"), x.getMessage());
        }
        Map<String, Object> badTime = new HashMap<>(event());
        badTime.put("timestamp", "yesterday");
        assertThrows(IllegalArgumentException.class, () -> InboundMessage.parse(badTime));
        Map<String, Object> badPhone = new HashMap<>(event());
        badPhone.put("fromPhone", "99887766554433@lid");
        assertThrows(IllegalArgumentException.class, () -> InboundMessage.parse(badPhone));
        Map<String, Object> badName = new HashMap<>(event());
        badName.put("fromName", 7L);
        assertThrows(IllegalArgumentException.class, () -> InboundMessage.parse(badName));
    }

    @Test
    void theHostGetsEveryFieldWithAbsentOnesAsNull() {
        RecordingContext ctx = new RecordingContext("s1", null, null);
        InboundMessages.HOST.received(ctx, InboundMessage.parse(event()));
        assertEquals(new io.wagateway.api.InboundMessage("3EB0", "+6281234567890", "Siti", "120363025246125888@g.us",
                "halo", "text", Instant.parse("2026-12-01T18:40:00Z")), ctx.next(RecordingContext.HostReceived.class).message());

        Map<String, Object> bare = new HashMap<>(event());
        bare.remove("fromName");
        bare.remove("text");
        bare.put("messageType", "image");
        InboundMessages.HOST.received(ctx, InboundMessage.parse(bare));
        io.wagateway.api.InboundMessage image = ctx.next(RecordingContext.HostReceived.class).message();
        assertEquals(Arrays.asList(null, null, "image"), Arrays.asList(image.fromName(), image.text(), image.messageType()));
    }
}
