package io.wagateway.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.wagateway.auth.Principal;
import io.wagateway.auth.Role;
import io.wagateway.config.EnvOverrides;
import io.wagateway.config.GatewaySettings;
import io.wagateway.event.EventBus;
import io.wagateway.plugin.EngineRegistry;
import io.wagateway.plugin.RegisteredEngine;
import io.wagateway.store.Database;
import io.wagateway.testing.TestDatabases;
import io.wagateway.testing.TestGateway;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Session ids keep the contract's {@code {userId}-{slug}-{epochMillis}} and never repeat. */
class SessionIdUniquenessTest {

    /** Fails before the change: the second create hit the primary key and answered 500. */
    @Test
    void twoCreatesOfOneNameInOneMillisecondGetTwoIds() throws Exception {
        Path dataDir = TestDatabases.tempDir();
        try {
            String userId;
            // The user through the API, as any user comes to be.
            try (TestGateway gw = TestGateway.startOn(dataDir, java.util.Map.of())) {
                userId = gw.api().loginAdmin().get("/api/auth/me").json().get("id").asText();
            }
            Instant frozen = Instant.parse("2026-12-01T10:00:00.123Z");
            GatewaySettings settings = GatewaySettings.from(EnvOverrides.load(java.util.Map.of(), java.util.Map.of())
                    .get("gateway"));
            try (Database db = Database.open(TestDatabases.embedded().settings(), dataDir);
                 SessionService sessions = new SessionService(new SessionStore(db.client()), new MessageStore(db.client()),
                         new InboundMessageStore(db.client()), new CredentialRepository(db.client()), new OneEngine(),
                         new EventBus(), settings.sessions(), settings.messages(), Clock.fixed(frozen, ZoneOffset.UTC))) {
                Principal caller = new Principal(userId, "admin", Role.ADMIN, frozen.plusSeconds(3600));
                Session first = sessions.create(caller, "Twin", null);
                Session second = sessions.create(caller, "Twin", null);
                assertEquals(userId + "-twin-" + frozen.toEpochMilli(), first.sessionId());
                assertNotEquals(first.sessionId(), second.sessionId());
                assertEquals(userId + "-twin-" + (frozen.toEpochMilli() + 1), second.sessionId(),
                        "the contract's form, with the next free millisecond");
                assertEquals(2, sessions.list(caller).size());
            }
        } finally {
            TestGateway.deleteTree(dataDir);
        }
    }

    /** The default engine, present; creating a session never opens it. */
    private static final class OneEngine implements EngineRegistry {
        @Override
        public Optional<RegisteredEngine> find(String name) {
            return Optional.of(new RegisteredEngine(name, "test", null, null));
        }

        @Override
        public Set<String> names() {
            return Set.of("simulator");
        }

        @Override
        public void addListener(Listener listener) {
        }
    }
}
