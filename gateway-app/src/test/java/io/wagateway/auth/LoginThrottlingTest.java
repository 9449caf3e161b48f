package io.wagateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wagateway.testing.ApiClient;
import io.wagateway.testing.TestDatabases;
import io.wagateway.testing.TestGateway;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Login throttling over real HTTP from distinct client addresses (127.0.0.x loopback sources):
 * keyed on the account the database finds and the address, with a global cap on password checks.
 */
class LoginThrottlingTest {

    private static final String PASSWORD = "owner-password-1";

    @Test
    void respellingsOfALockedUserDoNotGetInOnMariaDb() {
        try (TestDatabases.Target db = TestDatabases.mariadb();
             TestGateway gw = TestGateway.start(new HashMap<>(TestDatabases.overrides(db)))) {
            gw.api().loginAdmin().createUser("acctest", PASSWORD);
            ApiClient attacker = gw.api().from("127.0.0.2");
            for (int i = 0; i < 5; i++) {
                assertEquals(401, login(attacker, "acctest", "wrong-password").status());
            }
            for (String spelling : List.of("acctest", "ácctest", "acctést", "ACCTEST", "AccTest", "àcctest")) {
                ApiClient.Response r = login(attacker, spelling, PASSWORD);
                assertNotEquals(200, r.status(), spelling + " got in past the lock");
                assertTrue(r.status() == 429 || r.status() == 401, spelling + ": " + r.status());
            }
        }
    }

    @Test
    void failuresAsVictimOnH2DoNotLockOutVictimElsewhere() {
        try (TestGateway gw = TestGateway.start(Map.of())) {
            gw.api().loginAdmin().createUser("victim", PASSWORD);
            ApiClient attacker = gw.api().from("127.0.0.2");
            for (int i = 0; i < 8; i++) {
                assertNotEquals(200, login(attacker, "VICTIM", "wrong-password").status());
            }
            long start = System.nanoTime();
            assertEquals(200, login(gw.api().from("127.0.0.3"), "victim", PASSWORD).status(), "the owner elsewhere");
            assertTrue(elapsed(start).compareTo(Duration.ofSeconds(3)) < 0, "delayed by at most the capped slowdown");
        }
    }

    @Test
    void aFloodFromOneAddressKeepsTheOwnerOutOfNowhereElseBeyondTheBound() {
        try (TestGateway gw = TestGateway.start(Map.of("gateway.auth.login-max-failures", "3",
                "gateway.auth.login-address-max-failures", "10", "gateway.auth.login-slowdown-max", "500ms"))) {
            gw.api().loginAdmin().createUser("owner", PASSWORD);
            ApiClient attacker = gw.api().from("127.0.0.2");
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                statuses.add(login(attacker, "owner", "guess-" + i).status());
            }
            assertEquals(List.of(401, 401, 401), statuses.subList(0, 3));
            assertTrue(statuses.subList(3, 30).stream().allMatch(s -> s == 429), statuses.toString());
            ApiClient.Response locked = login(attacker, "owner", PASSWORD);
            assertEquals(429, locked.status(), "the right password from the flooding address waits too");
            assertTrue(locked.raw().headers().firstValue("Retry-After").isPresent());
            // Spraying other names from there: past 10 failures the address is locked for every name.
            for (int i = 0; i < 7; i++) {
                assertEquals(401, login(attacker, "name" + i, "guess-" + i).status());
            }
            assertEquals(429, login(attacker, "name-next", "whatever-pw").status(), "the address is locked for any name");

            long start = System.nanoTime();
            assertEquals(200, login(gw.api().from("127.0.0.3"), "owner", PASSWORD).status());
            assertTrue(elapsed(start).compareTo(Duration.ofMillis(2500)) < 0, "the owner waited " + elapsed(start));
        }
    }

    @Test
    void theGlobalCapOnPasswordChecksAnswers429QuicklyWhileOtherRequestsStayFast() throws Exception {
        try (TestGateway gw = TestGateway.start(Map.of("gateway.auth.password-check-concurrency", "1",
                "gateway.auth.password-check-wait", "100ms", "gateway.auth.login-address-max-failures", "100000"))) {
            ApiClient admin = gw.api().loginAdmin();
            Duration quiet = medianOf20(admin);
            AtomicBoolean spraying = new AtomicBoolean(true);
            ConcurrentLinkedQueue<ApiClient.Response> refused = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<Duration> refusalTimes = new ConcurrentLinkedQueue<>();
            CountDownLatch firstRefusal = new CountDownLatch(1);
            ExecutorService sprayers = Executors.newFixedThreadPool(16);
            try {
                for (int t = 0; t < 16; t++) {
                    int thread = t;
                    sprayers.submit(() -> {
                        ApiClient client = gw.api();
                        for (int i = 0; spraying.get(); i++) {
                            long start = System.nanoTime();
                            ApiClient.Response r = login(client, "user" + thread + "x" + i, "spray-password");
                            if (r.status() == 429) {
                                refusalTimes.add(elapsed(start));
                                refused.add(r);
                                firstRefusal.countDown();
                            }
                        }
                    });
                }
                assertTrue(firstRefusal.await(20, java.util.concurrent.TimeUnit.SECONDS), "no check was ever refused");
                // The machine is shared (and runs the sprayers too), so "fast" is against the same request
                // before the spray; uncapped, 16 parallel checks slowed it to ~400 ms on 2 cores.
                Duration during = medianOf20(admin);
                Duration bound = Duration.ofMillis(Math.max(300, 5 * quiet.toMillis()));
                assertTrue(during.compareTo(bound) < 0, "a request that checks no password stays fast during the spray: "
                        + during + " against " + quiet + " before");
            } finally {
                spraying.set(false);
                sprayers.shutdown();
                sprayers.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
            }
            ApiClient.Response one = refused.peek();
            assertEquals("TOO_MANY_REQUESTS", one.errorCode());
            assertEquals("1", one.raw().headers().firstValue("Retry-After").orElse(""));
            List<Duration> times = new ArrayList<>(refusalTimes);
            times.sort(null);
            // The bounded wait is 100 ms; the rest is the round trip on a loaded, shared machine.
            Duration refusalBound = Duration.ofMillis(Math.max(500, 100 + 5 * quiet.toMillis()));
            assertTrue(times.get(times.size() / 2).compareTo(refusalBound) < 0,
                    "a refusal comes after the bounded wait, not a stall: " + times.subList(0, Math.min(10, times.size())));
        }
    }

    @Test
    void xForwardedForCountsOnlyWhenATrustedProxySendsIt() {
        try (TestGateway gw = TestGateway.start(Map.of("gateway.auth.login-max-failures", "2",
                "gateway.auth.trusted-proxies", "127.0.0.4"))) {
            ApiClient admin = gw.api().loginAdmin();
            admin.createUser("spoofed", PASSWORD);
            admin.createUser("proxied", PASSWORD);
            ApiClient direct = gw.api().from("127.0.0.2");
            for (int i = 0; i < 2; i++) {
                assertEquals(401, login(direct, "spoofed", "wrong-password", "203.0.113." + i).status());
            }
            assertEquals(429, login(direct, "spoofed", PASSWORD, "203.0.113.99").status(),
                    "a client cannot pick its own address with the header");

            ApiClient proxy = gw.api().from("127.0.0.4");
            for (int i = 0; i < 2; i++) {
                assertEquals(401, login(proxy, "proxied", "wrong-password", "198.51.100.1").status());
            }
            assertEquals(429, login(proxy, "proxied", PASSWORD, "198.51.100.1").status());
            assertEquals(200, login(proxy, "proxied", PASSWORD, "198.51.100.2, 127.0.0.4").status(),
                    "behind the trusted proxy, another client is another address");
        }
    }

    private static ApiClient.Response login(ApiClient client, String username, String password, String forwardedFor) {
        return client.post("/api/auth/login", Map.of("username", username, "password", password),
                Map.of("X-Forwarded-For", forwardedFor));
    }

    private static Duration medianOf20(ApiClient admin) {
        List<Duration> times = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            long start = System.nanoTime();
            assertEquals(200, admin.get("/api/auth/me").status());
            times.add(elapsed(start));
        }
        times.sort(null);
        return times.get(times.size() / 2);
    }

    private static ApiClient.Response login(ApiClient client, String username, String password) {
        return client.post("/api/auth/login", Map.of("username", username, "password", password));
    }

    private static Duration elapsed(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
