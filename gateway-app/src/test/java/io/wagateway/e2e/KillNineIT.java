package io.wagateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wagateway.testing.OnBothDatabases;
import io.wagateway.testing.ApiClient;
import io.wagateway.testing.Await;
import io.wagateway.testing.GatewayProcess;
import io.wagateway.testing.TestDatabases;
import io.wagateway.testing.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * A {@code 2xx} means stored: the real {@code ./gateway run} is killed with SIGKILL while messages
 * and sessions are being written as fast as it answers, started again on the same data, and every
 * message answered {@code 202} and every session answered {@code 201} before the kill is there,
 * and none of those messages stays {@code PENDING} (the restart settles or sends each).
 * Prints the rate of acknowledged sends (a figure, not an assertion).
 */
class KillNineIT {

    private static final String PASSWORD = "kill-nine-admin-password";
    private static final int SENDERS = 2;
    /** Kill after this many acknowledged sends (or after {@link #SENDING}, on a slow machine). */
    private static final int ACKED_BEFORE_KILL = 400;
    private static final Duration SENDING = Duration.ofSeconds(3);

    @OnBothDatabases
    void everyAcknowledgedWriteSurvivesKillNine(Supplier<TestDatabases.Target> database) throws Exception {
        Path dir = Files.createTempDirectory("gateway-kill-nine-");
        try (TestDatabases.Target db = database.get()) {
            Map<String, String> env = new HashMap<>();
            env.put("GATEWAY_DATA_DIR", dir.resolve("data").toString());
            env.put("GATEWAY_PLUGINS_DIR", dir.resolve("plugins").toString());
            env.put("GATEWAY_ADMIN_PASSWORD", PASSWORD);
            env.put("GATEWAY_ENGINES_SIMULATOR_CONNECT_DELAY", "50ms");
            if (!db.settings().embedded()) {
                env.putAll(Map.of("GATEWAY_DB_URL", db.settings().url(), "GATEWAY_DB_USER", db.settings().user(),
                        "GATEWAY_DB_PASSWORD", db.settings().password()));
            }
            GatewayProcess gateway = GatewayProcess.start(withPorts(env));
            ApiClient admin = new ApiClient(gateway.httpUrl()).login("admin", PASSWORD);
            String session = linkedSession(admin);

            Queue<String> messages = new ConcurrentLinkedQueue<>();
            Queue<String> sessions = new ConcurrentLinkedQueue<>();
            AtomicBoolean running = new AtomicBoolean(true);
            List<Thread> writers = new ArrayList<>();
            long started = System.nanoTime();
            for (int i = 0; i < SENDERS; i++) {
                int sender = i;
                writers.add(Thread.ofPlatform().start(() -> writeUntilDead(running, () -> {
                    ApiClient.Response r = admin.post("/api/sessions/" + session + "/messages",
                            Map.of("to", "+628123456789" + sender, "text", "message " + messages.size()));
                    if (r.status() == 202) {
                        messages.add(r.json().get("messageId").asText());
                    }
                })));
            }
            writers.add(Thread.ofPlatform().start(() -> writeUntilDead(running, () -> {
                ApiClient.Response r = admin.post("/api/sessions", Map.of("name", "s" + sessions.size()));
                if (r.status() == 201) {
                    sessions.add(r.json().get("sessionId").asText());
                }
            })));
            long killAt = started + SENDING.toNanos();
            Await.until("writes acknowledged", Duration.ofSeconds(60),
                    () -> messages.size() >= ACKED_BEFORE_KILL || System.nanoTime() > killAt && !messages.isEmpty() && !sessions.isEmpty(),
                    () -> messages.size() + " sends, " + sessions.size() + " sessions");
            gateway.kill();
            double seconds = (System.nanoTime() - started) / 1e9;
            running.set(false);
            for (Thread writer : writers) {
                writer.join();
            }
            assertEquals(137, gateway.exitValue(), "killed by SIGKILL (128 + 9):\n" + gateway.log());
            System.out.printf("KillNineIT %s: %d sends acknowledged in %.2f s (%.0f sends/s with %d senders"
                    + " beside a session writer), %d sessions%n", db, messages.size(), seconds,
                    messages.size() / seconds, SENDERS, sessions.size());

            GatewayProcess restarted = GatewayProcess.start(withPorts(env));
            try {
                ApiClient after = new ApiClient(restarted.httpUrl()).login("admin", PASSWORD);
                List<String> lostMessages = messages.stream()
                        .filter(id -> after.get("/api/sessions/" + session + "/messages/" + id).status() != 200).toList();
                List<String> lostSessions = sessions.stream()
                        .filter(id -> after.get("/api/sessions/" + id).status() != 200).toList();
                assertTrue(lostMessages.isEmpty() && lostSessions.isEmpty(), "lost after kill -9: " + lostMessages.size()
                        + " of " + messages.size() + " acknowledged messages " + lostMessages + ", " + lostSessions.size()
                        + " of " + sessions.size() + " sessions " + lostSessions);
                // Killed mid-stream (acks queued, some messages handed over, some not): none stays PENDING.
                // The restart settles what the engine had but never confirmed, and sends what it never got.
                Set<String> pending = ConcurrentHashMap.newKeySet();
                pending.addAll(messages);
                Await.until("no message left PENDING after the restart", Duration.ofSeconds(60), () -> {
                    pending.removeIf(id -> !"PENDING".equals(after.get("/api/sessions/" + session + "/messages/" + id)
                            .json().get("status").asText()));
                    return pending.isEmpty();
                }, () -> pending.size() + " of " + messages.size() + " still PENDING: " + pending.stream().limit(5).toList());
            } finally {
                assertTrue(restarted.stop(), "the restarted gateway stops:\n" + restarted.log());
            }
        } finally {
            TestGateway.deleteTree(dir);
        }
    }

    /** Runs {@code write} until told to stop or until the gateway no longer answers (it was killed). */
    private static void writeUntilDead(AtomicBoolean running, Runnable write) {
        try {
            while (running.get()) {
                write.run();
            }
        } catch (RuntimeException e) {
            // The connection broke: the request in flight was never acknowledged.
        }
    }

    private static String linkedSession(ApiClient admin) {
        ApiClient.Response created = admin.post("/api/sessions", Map.of("name", "sender", "engine", "simulator"));
        assertEquals(201, created.status(), created.body());
        String id = created.json().get("sessionId").asText();
        assertEquals(202, admin.post("/api/sessions/" + id + "/start", null).status());
        awaitStatus(admin, id, "QR_REQUIRED");
        ApiClient.Response scan = admin.post("/api/sessions/" + id + "/actions/scan",
                Map.of("phoneNumber", "+6281234567890", "displayName", "Sender"));
        assertEquals(200, scan.status(), scan.body());
        awaitStatus(admin, id, "CONNECTED");
        return id;
    }

    private static void awaitStatus(ApiClient admin, String id, String status) {
        Await.until(id + " " + status, () -> status.equals(admin.get("/api/sessions/" + id).json().path("status").asText()),
                () -> admin.get("/api/sessions/" + id).body());
    }

    /** Port 0 for each start: the system picks free ones as they are bound (the old process' sockets may linger). */
    private static Map<String, String> withPorts(Map<String, String> env) {
        env.put("GATEWAY_HTTP_PORT", "0");
        env.put("GATEWAY_SOCKETIO_PORT", "0");
        return env;
    }
}
