package io.wagateway.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wagateway.store.Database;
import io.wagateway.testing.TestDatabases;
import io.wagateway.testing.TestGateway;
import io.wagateway.testing.TestSessions;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A logout or delete waits for a credential write under way only so long (the engine-call
 * timeout); one stuck longer may land after the delete. What such a write left behind a deleted
 * session is removed when the gateway next starts; a live session's credentials stay.
 */
class OrphanCredentialsTest {

    @Test
    void credentialsLeftBehindADeletedSessionAreRemovedAtTheNextStart() {
        Path dataDir = TestDatabases.tempDir();
        try {
            String kept;
            try (TestGateway first = TestGateway.startOn(dataDir, Map.of())) {
                kept = TestSessions.create(first, first.api().loginAdmin(), "kept");
            }
            try (Database db = Database.open(TestDatabases.embedded().settings(), dataDir)) {
                CredentialRepository repo = new CredentialRepository(db.client());
                repo.forSession(kept).put("creds", new byte[] {1});
                repo.forSession("deleted-session").put("keys/pre-key-1", new byte[] {2});
            }
            try (TestGateway second = TestGateway.startOn(dataDir, Map.of())) {
                CredentialRepository repo = new CredentialRepository(second.gateway().database().client());
                assertTrue(repo.forSession("deleted-session").keys().isEmpty(), "removed at start");
                assertEquals(Set.of("creds"), repo.forSession(kept).keys(), "a live session's stay");
            }
        } finally {
            TestGateway.deleteTree(dataDir);
        }
    }
}
