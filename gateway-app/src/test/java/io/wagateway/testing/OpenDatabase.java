package io.wagateway.testing;

import io.wagateway.store.Database;
import java.nio.file.Path;

/**
 * A store test's database: opened (migrated) on a target in a temporary data directory;
 * {@link #close()} closes it, drops the target's database and removes the directory.
 */
public final class OpenDatabase implements AutoCloseable {

    private final TestDatabases.Target target;
    private final Path dataDir;
    private final Database db;

    private OpenDatabase(TestDatabases.Target target) {
        this.target = target;
        this.dataDir = TestDatabases.tempDir();
        try {
            this.db = Database.open(target.settings(), dataDir);
        } catch (RuntimeException e) {
            target.close();
            TestGateway.deleteTree(dataDir);
            throw e;
        }
    }

    public static OpenDatabase on(TestDatabases.Target target) {
        return new OpenDatabase(target);
    }

    public Database db() {
        return db;
    }

    @Override
    public void close() {
        try {
            db.close();
        } finally {
            target.close();
            TestGateway.deleteTree(dataDir);
        }
    }
}
