package io.wagateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wagateway.testing.ApiClient;
import io.wagateway.testing.TestGateway;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Identity over real HTTP: login, me, tokens of every bad kind, user creation, throttling, errors. */
class AuthApiTest {

    private static final String SECRET = "auth-api-test-secret-with-enough-bytes-0123456789";
    private static TestGateway gw;
    private static ApiClient anonymous;
    private static ApiClient admin;

    @BeforeAll
    static void start() {
        gw = TestGateway.start(Map.of("gateway.auth.jwt-secret", SECRET, "gateway.http.max-body-bytes", "2048",
                "gateway.auth.login-max-failures", "3"));
        anonymous = gw.api();
        admin = anonymous.loginAdmin();
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void loginAnswersTokenAndUser() {
        ApiClient.Response r = anonymous.post("/api/auth/login",
                Map.of("username", TestGateway.ADMIN, "password", TestGateway.ADMIN_PASSWORD));
        assertEquals(200, r.status());
        assertEquals("Bearer", r.json().get("tokenType").asText());
        assertEquals("ADMIN", r.json().at("/user/role").asText());
        assertEquals(TestGateway.ADMIN, r.json().at("/user/username").asText());
        assertTrue(r.json().get("expiresAt").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
        ApiClient.Response me = anonymous.withToken(r.json().get("token").asText()).get("/api/auth/me");
        assertEquals(200, me.status());
        assertEquals(r.json().at("/user/id").asText(), me.json().get("id").asText());
        assertFalse(me.body().contains("password"), "no hash ever leaves the server");
    }

    @Test
    void wrongCredentialsAre401WithTheContractShape() {
        ApiClient.Response wrongPassword = anonymous.post("/api/auth/login",
                Map.of("username", TestGateway.ADMIN, "password", "not-the-password"));
        assertEquals(401, wrongPassword.status());
        assertEquals("UNAUTHORIZED", wrongPassword.errorCode());
        ApiClient.Response unknownUser = anonymous.post("/api/auth/login",
                Map.of("username", "nobody-here", "password", "whatever-password"));
        assertEquals(401, unknownUser.status());
        assertEquals(wrongPassword.json().at("/error/message"), unknownUser.json().at("/error/message"),
                "an unknown user is answered exactly like a wrong password");
    }

    @Test
    void everyBadTokenIs401() {
        String valid = admin.token();
        String[] parts = valid.split("\\.");
        Instant past = Instant.now().minus(Duration.ofHours(3));
        String expired = new TokenService(SECRET.getBytes(StandardCharsets.UTF_8), Duration.ofHours(1),
                Clock.fixed(past, ZoneOffset.UTC)).issue(new User(meId(), "admin", "x", Role.ADMIN, past)).token();
        String forged = new TokenService("some-other-secret-some-other-secret-123".getBytes(StandardCharsets.UTF_8),
                Duration.ofHours(1), Clock.systemUTC()).issue(new User(meId(), "admin", "x", Role.ADMIN, past)).token();
        String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes())
                + "." + parts[1] + ".";
        Map<String, String> cases = Map.of("expired", expired, "forged", forged, "alg none", none,
                "malformed", "abc.def", "tampered", parts[0] + "." + parts[1] + "x." + parts[2]);
        cases.forEach((what, token) -> {
            ApiClient.Response r = anonymous.withToken(token).get("/api/auth/me");
            assertEquals(401, r.status(), what);
            assertEquals("UNAUTHORIZED", r.errorCode(), what);
        });
        assertEquals("Token expired", anonymous.withToken(expired).get("/api/auth/me").json().at("/error/message").asText());
        assertEquals(401, anonymous.get("/api/auth/me").status(), "missing token");
        ApiClient.Response basic = anonymous.send(anonymous.builder("/api/auth/me").header("Authorization", "Basic YTpi").GET());
        assertEquals(401, basic.status(), "not a bearer token");
    }

    @Test
    void onlyAdminsCreateUsers() {
        ApiClient carol = admin.createUser("carol", "carol-password-1");
        ApiClient.Response r = carol.post("/api/users", Map.of("username", "mallory", "password", "mallory-password",
                "role", "ADMIN"));
        assertEquals(403, r.status());
        assertEquals("FORBIDDEN", r.errorCode());
        assertEquals(401, anonymous.post("/api/users", Map.of("username", "x1x", "password", "0123456789")).status());
        assertEquals("USER", carol.get("/api/auth/me").json().get("role").asText());
        ApiClient.Response duplicate = admin.post("/api/users", Map.of("username", "carol", "password", "another-pass1"));
        assertEquals(409, duplicate.status());
        assertEquals("CONFLICT", duplicate.errorCode());
    }

    @Test
    void userCreationIsValidated() {
        assertValidation(admin.post("/api/users", Map.of("username", "ok-name", "password", "short")));
        assertValidation(admin.post("/api/users", Map.of("username", "no spaces!", "password", "0123456789ab")));
        assertValidation(admin.post("/api/users", Map.of("username", "dave", "password", "0123456789ab", "role", "ROOT")));
        assertValidation(admin.post("/api/users", Map.of("username", 42, "password", "0123456789ab")));
        assertValidation(admin.post("/api/users", Map.of("password", "0123456789ab")));
        assertValidation(admin.postRaw("/api/users", "[1,2,3]", Map.of()));
        assertValidation(admin.postRaw("/api/users", "{\"username\": \"eve\", ", Map.of()));
        assertValidation(admin.postRaw("/api/users", "", Map.of()));
    }

    @Test
    void oversizedBodiesAre413AndChangeNothing() {
        String big = "x".repeat(4096);
        ApiClient.Response r = admin.post("/api/users", Map.of("username", "frank", "password", big));
        assertEquals(413, r.status());
        assertEquals("PAYLOAD_TOO_LARGE", r.errorCode());
        assertEquals(401, anonymous.post("/api/auth/login", Map.of("username", "frank", "password", "0123456789ab")).status(),
                "the refused request created nothing");
        // Chunked, without Content-Length: the limit is enforced while reading too.
        ApiClient.Response chunked = admin.send(admin.builder("/api/users")
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(("{\"username\":\"" + big + "\"}").getBytes()))));
        assertEquals(413, chunked.status());
    }

    @Test
    void repeatedFailuresLockTheUsernameWith429() {
        admin.createUser("grace", "grace-password-1");
        for (int i = 0; i < 3; i++) {
            assertEquals(401, anonymous.post("/api/auth/login", Map.of("username", "grace", "password", "wrong-password")).status());
        }
        ApiClient.Response locked = anonymous.post("/api/auth/login", Map.of("username", "grace", "password", "grace-password-1"));
        assertEquals(429, locked.status(), "even the right password waits out the lock");
        assertEquals("TOO_MANY_REQUESTS", locked.errorCode());
        assertEquals(200, anonymous.post("/api/auth/login",
                Map.of("username", TestGateway.ADMIN, "password", TestGateway.ADMIN_PASSWORD)).status(), "others unaffected");
    }

    @Test
    void errorsNeverCarryStackTracesAndUnknownRoutesAreJson() {
        ApiClient.Response r = admin.get("/api/no-such-thing");
        assertEquals(404, r.status());
        assertEquals("NOT_FOUND", r.errorCode());
        for (ApiClient.Response any : new ApiClient.Response[] {r,
                admin.postRaw("/api/users", "{\"username\":", Map.of()),
                anonymous.withToken("x.y.z").get("/api/auth/me")}) {
            assertFalse(any.body().contains("Exception") || any.body().contains("\tat ") || any.body().contains("SQL"),
                    any.body());
        }
    }

    private static String meId() {
        return admin.get("/api/auth/me").json().get("id").asText();
    }

    private static void assertValidation(ApiClient.Response r) {
        assertEquals(400, r.status(), r.body());
        assertEquals("VALIDATION_ERROR", r.errorCode(), r.body());
    }
}
