package io.wagateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wagateway.config.GatewaySettings;
import io.wagateway.error.DomainException;
import io.wagateway.testing.DatabasePerTest;
import io.wagateway.testing.ManualClock;
import io.wagateway.testing.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Whether a name exists cannot be read off the login answers: an unknown name is locked and slowed
 * exactly like an existing one with a wrong password. The real auth part on a real store (H2),
 * the clock moved by hand, and the slowdown's waits recorded instead of slept.
 */
class UnknownNameLoginTest {

    private static final GatewaySettings.Auth SETTINGS = new GatewaySettings.Auth("", Duration.ofHours(1), 5,
            Duration.ofMinutes(5), 20, Duration.ofSeconds(1), 1, Duration.ofSeconds(30), List.of());

    @RegisterExtension
    final DatabasePerTest database = new DatabasePerTest();
    private final ManualClock clock = new ManualClock();
    private final List<Duration> waits = new CopyOnWriteArrayList<>();

    @Test
    void anUnknownNameGetsTheSameLockAndSlowdownAsAWrongPassword() {
        UserStore store = new UserStore(database.on(TestDatabases.embedded()).client());
        byte[] secret = "unknown-name-login-test-secret-32b".getBytes(StandardCharsets.UTF_8);
        try (Identity identity = new Identity(store, SETTINGS, secret, clock, waits::add)) {
            identity.users().create("alice", "alice-password-1", Role.USER);

            List<String> existing = guesses(identity.logins(), "alice", "10.0.0.");
            assertEquals("RateLimited: Too many failed logins for this user; try again in 300 s (retry after PT5M)",
                    existing.get(5), "the existing name is locked for the first address");
            assertEquals("Unauthorized: Invalid username or password after waiting [PT0.25S]", existing.get(6),
                    "the existing name is slowed everywhere");

            assertEquals(existing, guesses(identity.logins(), "nobody", "10.0.1."), "an unknown name");
            // A name no user can have (not ASCII) is counted under a digest of its own, like any other.
            assertEquals(existing, guesses(identity.logins(), "Nóbody", "10.0.2."), "a name against the rule");
        }
    }

    /** Six wrong passwords from one address, then three from another: each answer with its wait. */
    private List<String> guesses(LoginService logins, String name, String addresses) {
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            waits.clear();
            String address = addresses + (i < 6 ? 1 : 2);
            try {
                logins.login(name, "wrong-password-" + i, address);
                answers.add("signed in");
            } catch (DomainException.RateLimited e) {
                answers.add("RateLimited: " + e.getMessage() + " (retry after " + e.retryAfter() + ")" + waited());
            } catch (DomainException e) {
                answers.add(e.getClass().getSimpleName() + ": " + e.getMessage() + waited());
            }
        }
        return answers;
    }

    private String waited() {
        return waits.isEmpty() ? "" : " after waiting " + waits;
    }
}
