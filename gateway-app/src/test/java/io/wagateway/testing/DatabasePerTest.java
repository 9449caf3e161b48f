package io.wagateway.testing;

import io.wagateway.store.Database;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A store test's database, registered with {@code @RegisterExtension}: {@link #on} opens it
 * ({@link OpenDatabase}), and after the test it is closed, dropped and its directory removed.
 */
public final class DatabasePerTest implements AfterEachCallback {

    private OpenDatabase opened;

    /** Opens the test's database on {@code target}; one per test. */
    public Database on(TestDatabases.Target target) {
        if (opened != null) {
            throw new IllegalStateException("A test opens one database");
        }
        opened = OpenDatabase.on(target);
        return opened.db();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (opened != null) {
            try {
                opened.close();
            } finally {
                opened = null;
            }
        }
    }
}
