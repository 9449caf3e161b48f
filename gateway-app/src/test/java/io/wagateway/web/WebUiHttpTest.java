package io.wagateway.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wagateway.testing.ApiClient;
import io.wagateway.testing.TestGateway;
import io.wagateway.testing.TestSessions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The web UI's guard and handlers over real HTTP, without a browser: one gateway for the class. */
class WebUiHttpTest {

    private static TestGateway gateway;
    private static ApiClient admin;

    @BeforeAll
    static void start() {
        gateway = TestGateway.start(Map.of());
        admin = gateway.api().loginAdmin();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static WebBrowserClient browser() {
        return new WebBrowserClient(gateway.httpUrl());
    }

    @Test
    void signedOutPagesRedirectToLoginWithSecurityHeaders() {
        HttpResponse<String> res = browser().get("/");
        assertEquals(303, res.statusCode());
        assertEquals("/login", res.headers().firstValue("location").orElseThrow());
        String csp = res.headers().firstValue("content-security-policy").orElseThrow();
        assertTrue(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), csp);
        assertEquals("DENY", res.headers().firstValue("x-frame-options").orElseThrow());
        assertEquals("nosniff", res.headers().firstValue("x-content-type-options").orElseThrow());
        assertTrue(res.headers().firstValue("referrer-policy").isPresent());
        assertEquals(401, browser().get("/events").statusCode());
    }

    @Test
    void loginSetsAnHttpOnlyStrictCookieAndRestStaysBearer() {
        WebBrowserClient b = browser();
        HttpResponse<String> res = b.signIn(TestGateway.ADMIN, TestGateway.ADMIN_PASSWORD);
        assertEquals(303, res.statusCode());
        String cookie = res.headers().allValues("set-cookie").stream().filter(c -> c.startsWith("gw_session=")).findFirst().orElseThrow();
        assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), cookie);
        assertFalse(cookie.contains("Secure"), "plain http: no Secure flag, or the browser would drop it");
        assertEquals(200, b.get("/").statusCode());
        // The cookie is not a bearer token for REST's sake: REST still wants its Authorization header.
        assertEquals(401, b.send(HttpRequest.newBuilder(URI.create(gateway.httpUrl() + "/api/auth/me")).GET()).statusCode());
        assertEquals(200, admin.get("/api/sessions").status());
    }

    @Test
    void behindAProxyThatTerminatesTlsTheCookiesAreSecure() throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            for (String[] header : new String[][] {{"X-Forwarded-Proto", "https"}, {"X-Forwarded-Proto", "HTTPS, http"},
                    {"Forwarded", "for=192.0.2.60;proto=https;by=203.0.113.43"}, {"X-Forwarded-Proto", "http"}, {"Forwarded", "proto=http"}}) {
                HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(gateway.httpUrl() + "/login"))
                        .header(header[0], header[1]).GET().build(), HttpResponse.BodyHandlers.ofString());
                String cookie = res.headers().allValues("set-cookie").stream().filter(c -> c.startsWith("gw_login="))
                        .findFirst().orElseThrow();
                boolean https = header[1].toLowerCase(java.util.Locale.ROOT).contains("https");
                assertEquals(https, cookie.contains("; Secure"), header[0] + ": " + header[1] + " gave " + cookie);
            }
        }
    }

    @Test
    void everyPostNeedsTheRightCsrfToken() {
        WebBrowserClient b = browser();
        assertEquals(403, b.post("/login", Map.of("username", "admin", "password", TestGateway.ADMIN_PASSWORD)).statusCode());
        b.signIn(TestGateway.ADMIN, TestGateway.ADMIN_PASSWORD);
        String me = admin.get("/api/auth/me").json().get("id").asText();
        assertEquals(403, b.post("/sessions", Map.of("name", "x", "engine", "simulator", "owner", me)).statusCode());
        assertEquals(403, b.post("/sessions", Map.of("_csrf", "forged", "name", "x", "engine", "simulator", "owner", me)).statusCode());
        // Another browser's token is no good either.
        WebBrowserClient other = browser();
        other.signIn(TestGateway.ADMIN, TestGateway.ADMIN_PASSWORD);
        assertEquals(403, b.post("/sessions", Map.of("_csrf", other.csrf("/"), "name", "x", "engine", "simulator", "owner", me)).statusCode());
        assertEquals(403, b.post("/logout", Map.of()).statusCode());
        HttpResponse<String> ok = b.post("/sessions", Map.of("_csrf", b.csrf("/"), "name", "Csrf ok", "engine", "simulator", "owner", me));
        assertEquals(303, ok.statusCode());
        assertTrue(ok.headers().firstValue("location").orElseThrow().startsWith("/sessions/"));
    }

    @Test
    void refusedFormsShowTheErrorNextToTheFieldAndKeepWhatWasTyped() {
        WebBrowserClient b = browser();
        b.signIn(TestGateway.ADMIN, TestGateway.ADMIN_PASSWORD);
        String me = admin.get("/api/auth/me").json().get("id").asText();
        HttpResponse<String> res = b.post("/sessions", Map.of("_csrf", b.csrf("/"), "name", "Typed name", "engine", "no-such-engine", "owner", me));
        assertEquals(400, res.statusCode());
        assertTrue(res.body().contains("id=\"err-create.engine\""), res.body());
        assertTrue(res.body().contains("Unknown engine &#39;no-such-engine&#39;"), "the domain's message, escaped");
        assertTrue(res.body().contains("value=\"Typed name\""));
        HttpResponse<String> user = b.post("/users", Map.of("_csrf", b.csrf("/users"), "username", "bad name!", "password", "long-enough-password", "role", "USER"));
        assertEquals(400, user.statusCode());
        assertTrue(user.body().contains("id=\"err-create.username\""), user.body());
        assertTrue(user.body().contains("value=\"bad name!\""));
    }

    @Test
    void refusedSessionCommandsAndActionsShowTheDomainsMessageOnThePage() {
        WebBrowserClient b = browser();
        b.signIn(TestGateway.ADMIN, TestGateway.ADMIN_PASSWORD);
        String me = admin.get("/api/auth/me").json().get("id").asText();
        String path = b.post("/sessions", Map.of("_csrf", b.csrf("/"), "name", "Refusals", "engine", "simulator", "owner", me))
                .headers().firstValue("location").orElseThrow().split("\\?")[0];
        String csrf = b.csrf(path);
        // Not linking: the simulator refuses the scan; the page says why, above the action's form, typed values kept.
        HttpResponse<String> scan = b.post(path + "/actions/scan", Map.of("_csrf", csrf, "p.phoneNumber", "+6281234567890"));
        assertEquals(409, scan.statusCode());
        assertTrue(scan.body().contains("id=\"err-action-scan._form\""), scan.body());
        assertTrue(scan.body().contains("value=\"+6281234567890\""));
        HttpResponse<String> stop = b.post(path + "/stop", Map.of("_csrf", csrf));
        assertEquals(409, stop.statusCode());
        assertTrue(stop.body().contains("id=\"err-control._form\""));
        HttpResponse<String> send = b.post(path + "/messages", Map.of("_csrf", csrf, "to", "not a number", "text", "hi"));
        assertEquals(400, send.statusCode());
        assertTrue(send.body().contains("id=\"err-send.to\""), send.body());
        assertTrue(send.body().contains("value=\"not a number\""));
        assertEquals(404, b.get("/sessions/no-such-session").statusCode());
    }

    @Test
    void aDemotedAdminsCookieStopsWorking() {
        String id = admin.post("/api/users", Map.of("username", "adam", "password", "adam-password-123", "role", "ADMIN"))
                .json().get("id").asText();
        WebBrowserClient b = browser();
        assertEquals(303, b.signIn("adam", "adam-password-123").statusCode());
        assertEquals(200, b.get("/users").statusCode());
        assertEquals(200, admin.patch("/api/users/" + id, Map.of("role", "USER")).status());
        HttpResponse<String> after = b.get("/users");
        assertEquals(303, after.statusCode());
        assertEquals("/login", after.headers().firstValue("location").orElseThrow());
        assertFalse(b.cookies.containsKey("gw_session"), "the dead cookie is cleared");
    }

    @Test
    void liveEventsAreServerSentEventsForTheCookiesAdmin() throws Exception {
        WebBrowserClient b = browser();
        b.signIn(TestGateway.ADMIN, TestGateway.ADMIN_PASSWORD);
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.httpUrl() + "/events"))
                .header("Cookie", "gw_session=" + b.cookies.get("gw_session")).timeout(Duration.ofSeconds(10)).GET().build();
        HttpResponse<java.io.InputStream> res = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, res.statusCode());
        assertTrue(res.headers().firstValue("content-type").orElseThrow().startsWith("text/event-stream"));
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(res.body(), StandardCharsets.UTF_8))) {
            String first = lines.readLine();
            while (first != null && first.isBlank()) {
                first = lines.readLine();
            }
            assertTrue(first != null && (first.startsWith("event:hello") || first.startsWith("event: hello")
                    || first.startsWith("retry")), "first line: " + first);
        }
    }

    @Test
    void theDashboardsStreamSaysWhenASessionIsCreatedOrDeletedElsewhere() throws Exception {
        WebBrowserClient b = browser();
        b.signIn(TestGateway.ADMIN, TestGateway.ADMIN_PASSWORD);
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.httpUrl() + "/events"))
                .header("Cookie", "gw_session=" + b.cookies.get("gw_session")).GET().build();
        HttpResponse<java.io.InputStream> res = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, res.statusCode());
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(res.body(), StandardCharsets.UTF_8))) {
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        if (line.startsWith("event:")) {
                            events.add(line.substring("event:".length()).strip());
                        }
                    }
                } catch (java.io.IOException e) {
                    // The stream is closed when the test ends.
                }
            });
            assertEquals("hello", events.poll(10, TimeUnit.SECONDS));
            // Created and deleted over REST, not by this browser: no contract event says so.
            String id = TestSessions.create(gateway, admin, "made elsewhere");
            assertEquals("sessions_changed", awaitEvent(events, "sessions_changed"));
            assertEquals(204, admin.delete("/api/sessions/" + id).status());
            assertEquals("sessions_changed", awaitEvent(events, "sessions_changed"));
            reader.interrupt();
        }
    }

    /** @return {@code name} once it arrives (other events before it are skipped), else fails after 10 s */
    private static String awaitEvent(BlockingQueue<String> events, String name) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            String next = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (name.equals(next)) {
                return next;
            }
        }
        throw new AssertionError("no " + name + " event within 10 s");
    }

    @Test
    void onlyThePluginUploadMayPostMoreThanAFormAndNeverSignedOut() {
        // A multipart body over the form limit (gateway.http.max-body-bytes, 1 MiB here) but under the
        // upload limit: a signed-out browser must not make the gateway buffer it for the login form.
        String boundary = "b0undary";
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"username\"\r\n\r\n"
                + "x".repeat(1024 * 1024 + 1) + "\r\n--" + boundary + "--\r\n";
        WebBrowserClient b = browser();
        b.csrf("/login");
        HttpResponse<String> res = b.send(HttpRequest.newBuilder(URI.create(gateway.httpUrl() + "/login"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertEquals(413, res.statusCode(), res.body());
        assertFalse(res.body().contains("Exception"), res.body());
    }

    @Test
    void staticAssetsAreServedAndNothingElseUnderStatic() {
        WebBrowserClient b = browser();
        HttpResponse<String> css = b.get("/static/app.css");
        assertEquals(200, css.statusCode());
        assertTrue(css.headers().firstValue("content-type").orElseThrow().startsWith("text/css"));
        assertEquals(200, b.get("/static/app.js").statusCode());
        assertEquals(404, b.get("/static/..%2Fweb%2Ftemplates%2Flogin.html").statusCode());
        assertEquals(404, b.get("/static/layout.html").statusCode());
    }
}
