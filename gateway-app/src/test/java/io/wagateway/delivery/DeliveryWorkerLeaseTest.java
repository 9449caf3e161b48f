package io.wagateway.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wagateway.api.EventSink;
import io.wagateway.api.SinkDelivery;
import io.wagateway.config.GatewaySettings;
import io.wagateway.plugin.RegisteredSink;
import io.wagateway.store.Database;
import io.wagateway.testing.ManualClock;
import io.wagateway.testing.OpenDatabase;
import io.wagateway.testing.TestDatabases;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A worker never starts an attempt its lease cannot cover: past that it gives the rest of the lane
 * back, so another worker (another node) never takes rows this one is still sending.
 */
class DeliveryWorkerLeaseTest {

    /** The lease the worker holds on the event's row, as stored. */
    private static long leaseOf(Database db, String eventId) {
        try (var c = db.dataSource().getConnection();
             var ps = c.prepareStatement("SELECT claimed_until FROM deliveries WHERE event_id = ?")) {
            ps.setString(1, eventId);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aLaneLongerThanTheLeaseIsGivenBackNotSentPastIt() throws Exception {
        OpenDatabase opened = OpenDatabase.on(TestDatabases.embedded());
        Database db = opened.db();
        var calls = Executors.newCachedThreadPool();
        DeliveryWorker worker = null;
        try {
            ManualClock clock = new ManualClock();
            int events = 12;
            List<String> appended = SinkEvents.append(db, clock, "slow", events);
            long timeout = 1_000;
            List<Long> leases = Collections.synchronizedList(new ArrayList<>());
            List<String> late = Collections.synchronizedList(new ArrayList<>());
            List<String> delivered = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch all = new CountDownLatch(events);
            OutboxStore store = new OutboxStore(db);
            EventSink slow = new EventSink() {
                // Each delivery "takes" a whole deliver-timeout of the worker's clock.
                @Override
                public String name() {
                    return "slow";
                }

                @Override
                public void deliver(SinkDelivery d) {
                    long leaseUntil = leaseOf(db, d.eventId());
                    if (leases.isEmpty() || leases.get(leases.size() - 1) != leaseUntil) {
                        leases.add(leaseUntil);
                    }
                    long end = clock.millis() + timeout;
                    if (end > leaseUntil) {
                        late.add(d.eventId() + " would end " + (end - leaseUntil) + "ms after the lease");
                    }
                    clock.advance(Duration.ofMillis(timeout)); // now at end
                    delivered.add(d.eventId());
                    all.countDown();
                }
            };
            GatewaySettings.Delivery settings = new GatewaySettings.Delivery(3, Duration.ofSeconds(1),
                    Duration.ofSeconds(10), 0.2, Duration.ofMillis(timeout), 200, Duration.ofMillis(20), 4,
                    Duration.ofHours(1), Duration.ofHours(1), Duration.ofSeconds(5), Duration.ofHours(1));
            worker = new DeliveryWorker(new RegisteredSink("slow", "test", slow, null, false, 1), false, 1, new DeliveryClaims(db), null,
                    settings, new DeliveryCounters(store), clock, calls);
            worker.start();
            assertTrue(all.await(30, TimeUnit.SECONDS), "every event delivered, got " + delivered.size());
            assertEquals(List.of(), late, "no attempt outlasts its claim's lease");
            assertEquals(appended, delivered, "each once, in order");
            assertTrue(leases.size() > 1, "the lane was given back and claimed again");
        } finally {
            if (worker != null) {
                worker.stop(Duration.ofSeconds(5));
            }
            calls.shutdownNow();
            opened.close();
        }
    }
}
