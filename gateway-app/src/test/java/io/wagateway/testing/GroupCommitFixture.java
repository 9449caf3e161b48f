package io.wagateway.testing;

import io.wagateway.store.Database;
import io.wagateway.store.GroupCommit;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A group-commit test's parts: a database opened on a test target, a group commit on it, and
 * virtual threads to write from. {@link #close()} stops the callers, then the group commit, then
 * closes the database (dropping it, removing its directory).
 */
public final class GroupCommitFixture implements AutoCloseable {

    private final OpenDatabase opened;
    private final GroupCommit group;
    private final ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();

    private GroupCommitFixture(OpenDatabase opened, GroupCommit group) {
        this.opened = opened;
        this.group = group;
    }

    /** @param start starts the group commit on the opened database (after any setup of its own) */
    public static GroupCommitFixture open(Supplier<TestDatabases.Target> which, Function<Database, GroupCommit> start) {
        OpenDatabase opened = OpenDatabase.on(which.get());
        try {
            return new GroupCommitFixture(opened, start.apply(opened.db()));
        } catch (RuntimeException | Error e) {
            opened.close();
            throw e;
        }
    }

    public Database db() {
        return opened.db();
    }

    public GroupCommit group() {
        return group;
    }

    public ExecutorService callers() {
        return callers;
    }

    @Override
    public void close() {
        callers.shutdownNow();
        try {
            group.close();
        } finally {
            opened.close();
        }
    }
}
