package io.wagateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wagateway.http.Json;
import io.wagateway.testing.ManualClock;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class TokenServiceTest {

    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef-test".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2026-01-15T10:30:00Z");
    private final TokenService tokens = new TokenService(SECRET, Duration.ofHours(1), Clock.fixed(NOW, ZoneOffset.UTC));
    private final User alice = new User("8b958586-4d56-4a07-b1c8-80a0ae672cd5", "alice", "x", Role.USER, NOW);

    @Test
    void issuedTokenVerifiesWithItsClaims() throws Exception {
        TokenService.IssuedToken issued = tokens.issue(alice);
        Principal p = tokens.verify(issued.token());
        assertEquals(alice.id(), p.userId());
        assertEquals("alice", p.username());
        assertEquals(Role.USER, p.role());
        assertEquals(NOW.plus(Duration.ofHours(1)), p.expiresAt());
        ObjectNode payload = part(issued.token(), 1);
        for (String claim : new String[] {"sub", "name", "role", "iat", "exp", "jti"}) {
            assertEquals(true, payload.has(claim), "claim " + claim);
        }
        assertEquals("HS256", part(issued.token(), 0).get("alg").asText());
    }

    @Test
    void expiredTokenIsRefused() {
        String token = new TokenService(SECRET, Duration.ofMinutes(5),
                Clock.fixed(NOW.minus(Duration.ofMinutes(6)), ZoneOffset.UTC)).issue(alice).token();
        assertReason(InvalidTokenException.Reason.EXPIRED, token);
    }

    @Test
    void aRememberedTokenStillExpires() throws Exception {
        ManualClock clock = new ManualClock();
        TokenService service = new TokenService(SECRET, Duration.ofMinutes(5), clock);
        String token = service.issue(alice).token();
        Principal first = service.verify(token);
        assertEquals(first, service.verify(token), "the same caller the second time");
        clock.advance(Duration.ofMinutes(5));
        InvalidTokenException e = assertThrows(InvalidTokenException.class, () -> service.verify(token));
        assertEquals(InvalidTokenException.Reason.EXPIRED, e.reason());
    }

    @Test
    void aTokenDifferingFromARememberedOneByOneCharacterIsCheckedInFull() throws Exception {
        String token = tokens.issue(alice).token();
        tokens.verify(token);
        // A character inside the signature (the last one carries unused bits a decoder may ignore).
        int at = token.length() - 10;
        String altered = token.substring(0, at) + (token.charAt(at) == 'A' ? 'B' : 'A') + token.substring(at + 1);
        assertReason(InvalidTokenException.Reason.BAD_SIGNATURE, altered);
        assertEquals(alice.id(), tokens.verify(token).userId(), "the original still passes");
    }

    @Test
    void manyTokensNeverGrowTheMemoryPastItsBound() throws Exception {
        for (int i = 0; i < TokenService.MAX_REMEMBERED + 10; i++) {
            tokens.verify(tokens.issue(alice).token());
        }
        assertTrue(tokens.remembered() <= TokenService.MAX_REMEMBERED, "remembered " + tokens.remembered());
    }

    @Test
    void tokenSignedWithAnotherSecretIsRefused() {
        String forged = new TokenService("another-secret-another-secret-another".getBytes(StandardCharsets.UTF_8),
                Duration.ofHours(1), Clock.fixed(NOW, ZoneOffset.UTC)).issue(alice).token();
        assertReason(InvalidTokenException.Reason.BAD_SIGNATURE, forged);
    }

    @Test
    void tamperedPayloadIsRefused() {
        String[] parts = tokens.issue(alice).token().split("\\.");
        ObjectNode payload = part(String.join(".", parts), 1);
        payload.put("role", "ADMIN");
        String tampered = parts[0] + "." + b64(Json.bytes(payload)) + "." + parts[2];
        assertReason(InvalidTokenException.Reason.BAD_SIGNATURE, tampered);
    }

    @Test
    void algNoneIsRefused() {
        String payload = b64(Json.bytes(part(tokens.issue(alice).token(), 1)));
        String none = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "." + payload + ".";
        assertReason(InvalidTokenException.Reason.UNSUPPORTED_ALGORITHM, none);
    }

    @Test
    void otherHmacAlgorithmWithTheRightSecretIsRefused() throws Exception {
        String header = b64("{\"alg\":\"HS512\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload = b64(Json.bytes(part(tokens.issue(alice).token(), 1)));
        Mac mac = Mac.getInstance("HmacSHA512");
        mac.init(new SecretKeySpec(SECRET, "HmacSHA512"));
        String signature = b64(mac.doFinal((header + "." + payload).getBytes(StandardCharsets.US_ASCII)));
        assertReason(InvalidTokenException.Reason.UNSUPPORTED_ALGORITHM, header + "." + payload + "." + signature);
    }

    /** Only a holder of the secret can make one, but a claim of the wrong type is still a refusal, not a 500. */
    @Test
    void aSignedTokenWithClaimsOfTheWrongTypeIsMalformed() throws Exception {
        String header = part(tokens.issue(alice).token(), 0).toString();
        for (String exp : java.util.List.of("\"soon\"", "1e20", "100000000000000000000", "true")) {
            ObjectNode claims = part(tokens.issue(alice).token(), 1);
            claims.set("exp", Json.MAPPER.readTree(exp));
            assertReason(InvalidTokenException.Reason.MALFORMED, signed(header, Json.MAPPER.writeValueAsString(claims)));
        }
        ObjectNode numericSubject = part(tokens.issue(alice).token(), 1);
        numericSubject.put("sub", 42);
        assertReason(InvalidTokenException.Reason.MALFORMED, signed(header, numericSubject.toString()));
    }

    private static String signed(String header, String payload) throws Exception {
        String unsigned = b64(header.getBytes(StandardCharsets.UTF_8)) + "." + b64(payload.getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET, "HmacSHA256"));
        return unsigned + "." + b64(mac.doFinal(unsigned.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void malformedAndMissingTokensAreRefused() {
        assertReason(InvalidTokenException.Reason.MISSING, null);
        assertReason(InvalidTokenException.Reason.MISSING, "  ");
        assertReason(InvalidTokenException.Reason.MALFORMED, "not-a-jwt");
        assertReason(InvalidTokenException.Reason.MALFORMED, "a.b.c");
        assertReason(InvalidTokenException.Reason.MALFORMED, "!!!.???.###");
    }

    private void assertReason(InvalidTokenException.Reason expected, String token) {
        InvalidTokenException e = assertThrows(InvalidTokenException.class, () -> tokens.verify(token));
        assertEquals(expected, e.reason(), e.getMessage());
    }

    private static ObjectNode part(String token, int index) {
        try {
            return (ObjectNode) Json.MAPPER.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[index]));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
