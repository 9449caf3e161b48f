package io.wagateway.event;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wagateway.api.GatewayEvent;
import io.wagateway.api.MessageStatus;
import io.wagateway.api.MessageStatusUpdated;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** A burst: the listeners that hold their writes see it begin and end around its events; the others just get the events. */
class EventBusTest {

    private final EventBus bus = new EventBus();
    private final List<String> seen = new CopyOnWriteArrayList<>();

    private final class HoldingListener implements Consumer<GatewayEvent>, EventBus.Holding {
        private final String name;

        HoldingListener(String name) {
            this.name = name;
        }

        @Override
        public void accept(GatewayEvent event) {
            seen.add(name + " got " + ((MessageStatusUpdated) event).messageId());
        }

        @Override
        public void holding(Runnable publishing) {
            seen.add(name + " holds");
            try {
                publishing.run();
            } finally {
                seen.add(name + " sends");
            }
        }
    }

    private static GatewayEvent event(String messageId) {
        return new MessageStatusUpdated("s-1", "u-1", messageId, MessageStatus.SENT, null, null, Instant.EPOCH);
    }

    @Test
    void aBurstsEventsReachEveryListenerInsideTheHoldingsOfThoseThatHold() {
        bus.subscribe(new HoldingListener("a"));
        bus.subscribe(e -> seen.add("plain got " + ((MessageStatusUpdated) e).messageId()));
        bus.subscribe(new HoldingListener("b"));
        bus.burst(() -> {
            bus.publish(event("m-1"));
            bus.publish(event("m-2"));
        });
        assertEquals(List.of("b holds", "a holds",
                "a got m-1", "plain got m-1", "b got m-1",
                "a got m-2", "plain got m-2", "b got m-2",
                "a sends", "b sends"), seen);
    }

    @Test
    void anEventOutsideABurstIsNotHeld() {
        bus.subscribe(new HoldingListener("a"));
        bus.publish(event("m-1"));
        assertEquals(List.of("a got m-1"), seen);
    }
}
