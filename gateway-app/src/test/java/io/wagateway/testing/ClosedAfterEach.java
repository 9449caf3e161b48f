package io.wagateway.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a test opened (gateways, receivers, databases), closed after it, the last opened first, and
 * a temporary data directory, removed after them. Register it with {@code @RegisterExtension}.
 */
public final class ClosedAfterEach implements AfterEachCallback {

    private final List<AutoCloseable> open = new ArrayList<>();
    private final Path dataDir = TestDatabases.tempDir();

    /** @return {@code c}, closed after the test */
    public <T extends AutoCloseable> T keep(T c) {
        open.add(c);
        return c;
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        try {
            for (AutoCloseable c : open.reversed()) {
                c.close();
            }
        } finally {
            open.clear();
            TestGateway.deleteTree(dataDir);
        }
    }
}
