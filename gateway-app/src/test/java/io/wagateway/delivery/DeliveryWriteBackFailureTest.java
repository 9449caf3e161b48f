package io.wagateway.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wagateway.api.EventSink;
import io.wagateway.api.SinkDelivery;
import io.wagateway.config.GatewaySettings;
import io.wagateway.plugin.RegisteredSink;
import io.wagateway.store.Database;
import io.wagateway.testing.OnBothDatabases;
import io.wagateway.testing.LogCapture;
import io.wagateway.testing.ManualClock;
import io.wagateway.testing.OpenDatabase;
import io.wagateway.testing.TestDatabases;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A round's write-back that the database refuses loses nothing: the sink got the events, the
 * rows stay claimed until their lease runs out, and then the events go out again, in order, and
 * are stored as delivered. The database refuses for real: a trigger on {@code deliveries}, switched
 * by a table of the test's, fails every update that marks a row delivered. Rounds of two rows, so
 * that on MariaDB the next round claims while the refused write-back runs
 * ({@link DeliveryClaims#overlapWriteBacks}) and must give that claim back.
 */
class DeliveryWriteBackFailureTest {

    private static final String SINK = "flaky";
    private static final int BATCH = 2;

    /** H2's side of the switch: a Java trigger, run in the database's own process (this one). */
    public static final class RefusingTrigger implements org.h2.api.Trigger {
        @Override
        public void init(Connection conn, String schema, String trigger, String table, boolean before, int type) {
        }

        @Override
        public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
            // status is the only column that holds 'DELIVERED'
            if (Arrays.asList(newRow).contains("DELIVERED") && switchedOn(conn)) {
                throw new SQLException("write-back refused by the test", "45000");
            }
        }
    }

    private static boolean switchedOn(Connection conn) throws SQLException {
        try (var s = conn.createStatement(); var rs = s.executeQuery("SELECT refuse FROM write_back_switch")) {
            return rs.next() && rs.getInt(1) == 1;
        }
    }

    private static void sql(Database db, String statement) {
        try (var c = db.dataSource().getConnection(); var s = c.createStatement()) {
            s.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(statement, e);
        }
    }

    /** @return the deliveries rows that match {@code condition} */
    private static long rows(Database db, String condition) {
        try (var c = db.dataSource().getConnection(); var s = c.createStatement();
             var rs = s.executeQuery("SELECT COUNT(*) FROM deliveries WHERE " + condition)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void installSwitch(Database db) {
        sql(db, "CREATE TABLE write_back_switch (refuse INT NOT NULL)");
        sql(db, "INSERT INTO write_back_switch (refuse) VALUES (1)");
        if (db.inProcess()) {
            sql(db, "CREATE TRIGGER write_back_refused BEFORE UPDATE ON deliveries FOR EACH ROW CALL '"
                    + RefusingTrigger.class.getName() + "'");
        } else {
            sql(db, """
                    CREATE TRIGGER write_back_refused BEFORE UPDATE ON deliveries FOR EACH ROW
                    BEGIN
                      IF NEW.status = 'DELIVERED' AND (SELECT refuse FROM write_back_switch) = 1 THEN
                        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'write-back refused by the test';
                      END IF;
                    END""");
        }
    }

    @OnBothDatabases
    void aRefusedWriteBackSendsTheEventsAgainOnceTheLeaseEndsAndLosesNone(Supplier<TestDatabases.Target> target)
            throws Exception {
        OpenDatabase opened = OpenDatabase.on(target.get());
        Database db = opened.db();
        var calls = Executors.newCachedThreadPool();
        DeliveryWorker worker = null;
        try (LogCapture log = LogCapture.on(DeliveryWorker.class.getName())) {
            installSwitch(db);
            ManualClock clock = new ManualClock();
            int events = 5;
            List<String> appended = SinkEvents.append(db, clock, SINK, events);
            List<String> received = Collections.synchronizedList(new ArrayList<>());
            AtomicReference<CountDownLatch> expected = new AtomicReference<>(new CountDownLatch(BATCH));
            EventSink sink = new EventSink() {
                @Override
                public String name() {
                    return SINK;
                }

                @Override
                public void deliver(SinkDelivery d) {
                    received.add(d.eventId());
                    expected.get().countDown();
                }
            };
            GatewaySettings.Delivery settings = new GatewaySettings.Delivery(3, Duration.ofSeconds(1),
                    Duration.ofSeconds(10), 0.2, Duration.ofSeconds(1), BATCH, Duration.ofMillis(20), 4,
                    Duration.ofHours(1), Duration.ofHours(1), Duration.ofSeconds(5), Duration.ofHours(1));
            worker = new DeliveryWorker(new RegisteredSink(SINK, "test", sink, null, false, 1), false, 1, new DeliveryClaims(db), null,
                    settings, new DeliveryCounters(new OutboxStore(db)), clock, calls);
            worker.start();

            assertTrue(expected.get().await(30, TimeUnit.SECONDS), "the sink got the first round, got " + received);
            assertTrue(log.awaitMessage(m -> m.startsWith("Delivery to sink '" + SINK + "' paused")
                    && m.contains("write-back refused by the test"), Duration.ofSeconds(30)),
                    "the refused write-back is reported: " + log.messages());
            assertEquals(0, rows(db, "status = 'DELIVERED'"), "nothing is stored as delivered");
            assertEquals(BATCH, rows(db, "claim_token IS NOT NULL"), "only the first round's rows stay claimed (a claim taken meanwhile is given back)");
            assertEquals(appended.subList(0, BATCH), received,
                    "only the first round so far: its rows wait for their lease, and the rest of their lane behind them");

            // The database takes writes again, and the claims' lease (2 x deliver-timeout + 5 s) runs out.
            expected.set(new CountDownLatch(events));
            sql(db, "UPDATE write_back_switch SET refuse = 0");
            clock.advance(Duration.ofSeconds(8));
            worker.wake();

            assertTrue(expected.get().await(30, TimeUnit.SECONDS), "every event went out again, got " + received);
            worker.stop(Duration.ofSeconds(10)); // waits for the round's write-back
            worker = null;
            List<String> again = new ArrayList<>(appended.subList(0, BATCH));
            again.addAll(appended);
            assertEquals(again, received, "the first round again, then the rest, in order, and nothing more");
            assertEquals(events, rows(db, "status = 'DELIVERED'"), "every row stored as delivered");
        } finally {
            if (worker != null) {
                worker.stop(Duration.ofSeconds(5));
            }
            calls.shutdownNow();
            opened.close();
        }
    }
}
