package io.wagateway.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wagateway.testing.OnBothDatabases;
import io.wagateway.testing.HeldWriter;
import io.wagateway.testing.GroupCommitFixture;
import io.wagateway.testing.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;

/**
 * Writes left to a batch's end, on the embedded database and on MariaDB: each row ends as its last
 * write said, inserts keep their order, more rows than one statement carries still all go in, and
 * a read after {@link BatchedStatements#beforeRead} sees the unit's own update.
 */
class BatchedStatementsTest {

    /** More than one statement's worth (250 rows), so that a batch is split. */
    private static final int ROWS = 300;
    private static final Map<String, String> SQL = Map.of(
            "update-item", "UPDATE batched_items SET label = ?, n = ? WHERE id = ?",
            "update-item-rows", "UPDATE batched_items SET label = CASE id :cases ELSE label END, n = CASE id :cases ELSE n END WHERE id IN (:keys)",
            "insert-line", "INSERT INTO batched_lines (item, position) VALUES (?, ?)");

    private GroupCommitFixture fx;
    private GroupCommit group;
    private BatchedStatements batched;
    private ExecutorService callers;

    private void open(Supplier<TestDatabases.Target> which) {
        fx = GroupCommitFixture.open(which, d -> {
            sql(d, "CREATE TABLE batched_items (id VARCHAR(36) NOT NULL PRIMARY KEY, label VARCHAR(16), n BIGINT NOT NULL)");
            sql(d, "CREATE TABLE batched_lines (seq BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, item VARCHAR(36) NOT NULL, position INT NOT NULL)");
            StringBuilder values = new StringBuilder();
            for (int i = 0; i < ROWS; i++) {
                values.append(i == 0 ? "" : ", ").append("('item-").append(i).append("', 'old', -1)");
            }
            sql(d, "INSERT INTO batched_items (id, label, n) VALUES " + values);
            batched = new BatchedStatements(SQL::get);
            return GroupCommit.start(d.client(), batched, Duration.ZERO, 1);
        });
        group = fx.group();
        callers = fx.callers();
    }

    @AfterEach
    void close() {
        if (fx != null) {
            fx.close();
        }
    }

    @OnBothDatabases
    void theUpdatesOfABatchGoInAtItsEndEachRowWithItsOwnValues(Supplier<TestDatabases.Target> which) throws Exception {
        open(which);
        CountDownLatch release = HeldWriter.hold(group, callers);
        List<CompletableFuture<String>> seen = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            String id = "item-" + i;
            String label = i % 7 == 0 ? null : "new-" + i;
            long n = i;
            seen.add(CompletableFuture.supplyAsync(() -> group.write(tx -> {
                batched.update(tx, "update-item", id, label, n);
                // What the unit's own transaction sees right after: the row as it was.
                return tx.get("SELECT label FROM batched_items WHERE id = ?", id).map(r -> Rows.string(r, "label")).orElseThrow();
            }), callers));
        }
        HeldWriter.awaitQueued(group, ROWS);
        long commits = group.commits();
        release.countDown();
        for (CompletableFuture<String> f : seen) {
            assertEquals("old", f.get(30, TimeUnit.SECONDS), "the update waits for the batch's end");
        }
        assertEquals(commits + 2, group.commits(), "the held write, then one commit for all " + ROWS);
        Map<String, Object[]> rows = items();
        for (int i = 0; i < ROWS; i++) {
            Object[] row = rows.get("item-" + i);
            assertEquals(i % 7 == 0 ? null : "new-" + i, row[0], "label of item-" + i);
            assertEquals((long) i, row[1], "n of item-" + i);
        }
    }

    @OnBothDatabases
    void aRowUpdatedTwiceInABatchEndsAsTheLastUpdateSaidAndAReadAfterBeforeReadSeesIt(
            Supplier<TestDatabases.Target> which) throws Exception {
        open(which);
        CountDownLatch release = HeldWriter.hold(group, callers);
        CompletableFuture<Void> twice = CompletableFuture.runAsync(() -> group.write(tx -> {
            batched.update(tx, "update-item", "item-1", "first", 1L);
            batched.update(tx, "update-item", "item-2", "other", 2L);
            batched.update(tx, "update-item", "item-1", "second", 11L);
            return null;
        }), callers);
        CompletableFuture<String> reader = CompletableFuture.supplyAsync(() -> group.write(tx -> {
            batched.update(tx, "update-item", "item-3", "mine", 3L);
            batched.beforeRead(tx, "update-item", "item-3");
            return tx.get("SELECT label FROM batched_items WHERE id = ?", "item-3").map(r -> Rows.string(r, "label")).orElseThrow();
        }), callers);
        HeldWriter.awaitQueued(group, 2);
        release.countDown();
        twice.get(30, TimeUnit.SECONDS);
        assertEquals("mine", reader.get(30, TimeUnit.SECONDS), "beforeRead wrote what waited for that row");
        Map<String, Object[]> rows = items();
        assertEquals("second", rows.get("item-1")[0]);
        assertEquals(11L, rows.get("item-1")[1]);
        assertEquals("other", rows.get("item-2")[0]);
        assertEquals("mine", rows.get("item-3")[0]);
        assertEquals("old", rows.get("item-4")[0], "a row nobody updated is left alone");
    }

    @OnBothDatabases
    void insertsOfManyUnitsGoInInTheOrderTheyCame(Supplier<TestDatabases.Target> which) throws Exception {
        open(which);
        CountDownLatch release = HeldWriter.hold(group, callers);
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            int position = i;
            done.add(CompletableFuture.runAsync(() -> group.write(tx -> {
                batched.insert(tx, "insert-line", "item-" + position, position);
                return null;
            }), callers));
            // One at a time into the queue, so that the queue's order is the positions' order.
            HeldWriter.awaitQueued(group, i + 1);
        }
        release.countDown();
        for (CompletableFuture<Void> f : done) {
            f.get(30, TimeUnit.SECONDS);
        }
        List<Integer> positions = new ArrayList<>();
        try (Connection c = fx.db().dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT position FROM batched_lines ORDER BY seq")) {
            while (rs.next()) {
                positions.add(rs.getInt(1));
            }
        }
        assertEquals(ROWS, positions.size(), "every row, once");
        for (int i = 0; i < ROWS; i++) {
            assertEquals(i, positions.get(i), "row " + i + " in its place");
        }
    }

    @OnBothDatabases
    void outsideAGroupCommitEveryWriteRunsAtOnce(Supplier<TestDatabases.Target> which) throws Exception {
        open(which);
        GroupCommit direct = GroupCommit.direct(fx.db().client());
        String label = direct.write(tx -> {
            batched.update(tx, "update-item", "item-5", "now", 5L);
            return tx.get("SELECT label FROM batched_items WHERE id = ?", "item-5").map(r -> Rows.string(r, "label")).orElseThrow();
        });
        assertEquals("now", label);
        assertEquals("old", items().get("item-6")[0], "only the row written");
    }

    @OnBothDatabases
    void whereUpdatesDoNotWaitTheyRunAtOnceAndInsertsStillWait(Supplier<TestDatabases.Target> which) throws Exception {
        open(which);
        BatchedStatements insertsOnly = new BatchedStatements(SQL::get, false);
        try (GroupCommit other = GroupCommit.start(fx.db().client(), insertsOnly, Duration.ZERO, 1)) {
            String[] seen = other.write(tx -> {
                insertsOnly.update(tx, "update-item", "item-7", "at-once", 7L);
                insertsOnly.insert(tx, "insert-line", "item-7", 1);
                String label = tx.get("SELECT label FROM batched_items WHERE id = ?", "item-7")
                        .map(r -> Rows.string(r, "label")).orElseThrow();
                long lines = tx.get("SELECT COUNT(*) AS n FROM batched_lines").map(r -> Rows.number(r, "n")).orElseThrow();
                return new String[] {label, Long.toString(lines)};
            });
            assertEquals("at-once", seen[0], "the update ran where it was asked for");
            assertEquals("0", seen[1], "the insert waited for the batch's end");
        }
        assertEquals("at-once", items().get("item-7")[0]);
    }

    private Map<String, Object[]> items() throws SQLException {
        Map<String, Object[]> rows = new HashMap<>();
        try (Connection c = fx.db().dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, label, n FROM batched_items")) {
            while (rs.next()) {
                rows.put(rs.getString(1), new Object[] {rs.getString(2), rs.getLong(3)});
            }
        }
        return rows;
    }

    private static void sql(Database d, String statement) {
        try (Connection c = d.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(statement, e);
        }
    }
}
