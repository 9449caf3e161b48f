package io.wagateway.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.wagateway.http.Json;
import io.wagateway.testing.ApiClient;
import io.wagateway.testing.NodeProcess;
import io.wagateway.testing.TestGateway;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the webhook tests share: the plugin jar, gateways with fast delivery settings, API helpers. */
final class WebhookTesting {

    private WebhookTesting() {
    }

    /** Fast retries and polls, loopback allowed (the receiver is on this machine). */
    static Map<String, String> fast(boolean allowPrivate, String maxAttempts) {
        Map<String, String> s = new HashMap<>();
        s.put("gateway.webhooks.allow-private-targets", Boolean.toString(allowPrivate));
        s.put("gateway.webhooks.timeout", "2s");
        s.put("gateway.delivery.retry-initial-delay", "50ms");
        s.put("gateway.delivery.retry-max-delay", "200ms");
        s.put("gateway.delivery.poll-interval", "50ms");
        s.put("gateway.delivery.deliver-timeout", "5s");
        s.put("gateway.delivery.max-attempts", maxAttempts);
        s.put("gateway.delivery.stop-timeout", "3s");
        return s;
    }

    /** A gateway on {@code dataDir} (kept) with the simulator and the webhook plugin installed. */
    static TestGateway start(Path dataDir, Map<String, String> settings) {
        installWebhookPlugin(dataDir.resolve("plugins"));
        Map<String, String> all = new HashMap<>(settings);
        all.put("gateway.plugins.dir", dataDir.resolve("plugins").toString());
        TestGateway gw = TestGateway.startOn(dataDir, all);
        ApiClient admin = gw.api().loginAdmin();
        io.wagateway.testing.Await.until("webhook sink started",
                () -> admin.get("/api/plugins").body().contains("\"webhook\""));
        return gw;
    }

    static void installWebhookPlugin(Path pluginsDir) {
        String property = System.getProperty("gateway.test.webhook-jar");
        Path jar = property == null ? null : Path.of(property);
        if (jar == null || !Files.isRegularFile(jar)) {
            throw new IllegalStateException("The webhook plugin jar is not built (" + property + ")");
        }
        try {
            Files.createDirectories(pluginsDir);
            Files.copy(jar, pluginsDir.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs a session through start, QR, scan and stop: five events ({@code CONNECTING},
     * {@code QR_REQUIRED}, {@code qr_code_updated}, {@code CONNECTED}, {@code DISCONNECTED}).
     */
    static void linkAndStop(ApiClient api, String sessionId) {
        expect(api.post("/api/sessions/" + sessionId + "/start", Map.of()), 202);
        io.wagateway.testing.Await.until("QR of " + sessionId, () -> api.get("/api/sessions/" + sessionId + "/qr").status() == 200);
        expect(api.post("/api/sessions/" + sessionId + "/actions/scan",
                Map.of("phoneNumber", "+6281234567890", "displayName", "Test")), 200);
        io.wagateway.testing.Await.until("CONNECTED " + sessionId,
                () -> api.get("/api/sessions/" + sessionId).json().get("status").asText().equals("CONNECTED"));
        expect(api.post("/api/sessions/" + sessionId + "/stop", Map.of()), 202);
    }

    static ApiClient.Response expect(ApiClient.Response r, int status) {
        if (r.status() != status) {
            throw new AssertionError("expected " + status + " but got " + r.status() + " " + r.body());
        }
        return r;
    }

    /** @return the created subscription's JSON (with its secret) */
    static JsonNode subscribe(ApiClient api, String url, String sessionId, List<String> events) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("url", url);
        body.put("events", events);
        if (sessionId != null) {
            body.put("sessionId", sessionId);
        }
        ApiClient.Response r = api.post("/api/webhooks", body);
        if (r.status() != 201) {
            throw new AssertionError("Subscribing failed: " + r.status() + " " + r.body());
        }
        return r.json();
    }

    /** @return the subscription's deliveries, oldest first */
    static List<JsonNode> deliveries(ApiClient api, String subscriptionId) {
        ApiClient.Response r = api.get("/api/deliveries?limit=1000&subscriptionId=" + subscriptionId);
        if (r.status() != 200) {
            throw new AssertionError(r.status() + " " + r.body());
        }
        List<JsonNode> result = new ArrayList<>();
        r.json().forEach(result::add);
        return result.reversed();
    }

    static boolean allDelivered(ApiClient api, String subscriptionId) {
        List<JsonNode> all = deliveries(api, subscriptionId);
        return !all.isEmpty() && all.stream().allMatch(d -> d.get("status").asText().equals("DELIVERED"));
    }

    /** Runs the npm standardwebhooks verifier over the requests; @return its output */
    static String verifyWithStandardWebhooks(String secret, List<WebhookReceiver.Request> requests) throws Exception {
        Path file = Files.createTempFile("webhooks-", ".json");
        try {
            List<Map<String, Object>> list = new ArrayList<>();
            for (WebhookReceiver.Request r : requests) {
                list.add(Map.of("headers", r.headers(), "body", r.body()));
            }
            Files.write(file, Json.bytes(Map.of("secret", secret, "requests", list)));
            StringBuilder out = new StringBuilder();
            try (NodeProcess node = NodeProcess.start(List.of("webhook-verify.mjs", file.toString()), Map.of(),
                    line -> {
                        synchronized (out) {
                            out.append(line).append('\n');
                        }
                    })) {
                int code = node.await(Duration.ofSeconds(60));
                synchronized (out) {
                    if (code != 0) {
                        throw new AssertionError("standardwebhooks refused: " + out);
                    }
                    return out.toString().strip();
                }
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** The event ids of the subscription's deliveries by session, in the order they were queued. */
    static Map<String, List<String>> queuedBySession(List<JsonNode> deliveries) {
        Map<String, List<String>> result = new LinkedHashMap<>();
        for (JsonNode d : deliveries) {
            result.computeIfAbsent(d.get("sessionId").asText(), k -> new ArrayList<>()).add(d.get("eventId").asText());
        }
        return result;
    }

    /** The event ids the receiver accepted (first acceptance of each), by session, in arrival order. */
    static Map<String, List<String>> deliveredBySession(List<WebhookReceiver.Request> delivered) throws IOException {
        Map<String, List<String>> result = new LinkedHashMap<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (WebhookReceiver.Request r : delivered) {
            if (seen.add(r.id())) {
                String session = Json.MAPPER.readTree(r.body()).get("sessionId").asText();
                result.computeIfAbsent(session, k -> new ArrayList<>()).add(r.id());
            }
        }
        return result;
    }
}
