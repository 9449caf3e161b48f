package io.wagateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The sink SPI of 1.2: secrets stay out of text, and 1.1 sinks still receive through the new call. */
class SinkDeliveryTest {

    private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");
    private static final GatewayEvent EVENT = new SessionStatusChanged("s", "u", SessionStatus.CONNECTED, null, null, null, T, "id-1");

    @Test
    void toStringNeverShowsTheSecretOrBody() {
        SinkDelivery d = new SinkDelivery("id-1", EVENT.type(), "s", T, EVENT, "{\"body\":1}", 1,
                Optional.of(new DeliveryTarget("w1", "https://example.test/h", "whsec_c2VjcmV0")));
        assertFalse(d.toString().contains("whsec_"), d.toString());
        assertFalse(d.toString().contains("body"), d.toString());
        assertTrue(d.toString().contains("https://example.test/h"));
        assertThrows(IllegalArgumentException.class, () -> new SinkDelivery("id-1", EVENT.type(), "s", T, EVENT, "{}", 0,
                Optional.empty()));
    }

    @Test
    void aSinkOfApi11GetsTheEventThroughTheNewCall() {
        List<GatewayEvent> got = new ArrayList<>();
        EventSink old = new EventSink() {
            @Override public String name() { return "old"; }
            @Override public void deliver(GatewayEvent event) { got.add(event); }
        };
        old.deliver(new SinkDelivery("id-1", EVENT.type(), "s", T, EVENT, "{}", 1, Optional.empty()));
        assertEquals(List.of(EVENT), got);
        assertFalse(old.targeted());
        assertEquals(1, old.maxConcurrency());
    }

    @Test
    void aSinkImplementingNeitherFormFailsFatally() {
        EventSink none = () -> "none";
        PluginException e = assertThrows(PluginException.class,
                () -> none.deliver(new SinkDelivery("id-1", EVENT.type(), "s", T, EVENT, "{}", 1, Optional.empty())));
        assertFalse(e instanceof RetriableException);
    }

    @Test
    void secretKeysValidateAsTextAndNeverAppearInMessages() {
        ConfigKey key = new ConfigKey("uri", ConfigKey.Type.SECRET, null, "broker URI");
        assertTrue(key.secret());
        PluginConfig config = PluginConfig.validate(List.of(key), java.util.Map.of("uri", "amqp://u:p4ss@h"));
        assertEquals("amqp://u:p4ss@h", config.getString("uri"));
        assertFalse(config.toString().contains("p4ss"));
    }
}
