package io.wagateway.auth;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.common.Errors;
import io.helidon.security.jwt.Jwt;
import io.helidon.security.jwt.SignedJwt;
import io.helidon.security.jwt.jwk.Jwk;
import io.helidon.security.jwt.jwk.JwkKeys;
import io.helidon.security.jwt.jwk.JwkOctet;
import jakarta.json.JsonNumber;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Issues and verifies the gateway's JWTs with helidon-security-jwt: HS256 only, claims {@code sub}
 * (user id), {@code name}, {@code role}, {@code iat}, {@code exp}, {@code jti}, and {@code gen}: the user's token
 * generation when it was issued (see {@link User#generation()}; absent in tokens from before it, read as 0).
 *
 * <p>This class checks only what the token itself says; whether its user still stands behind it
 * is {@link CurrentTokenVerifier}'s question.
 *
 * <p>The header's algorithm is checked before anything else, so {@code alg:none} and algorithm
 * confusion are refused whatever the library would accept.
 *
 * <p>A token that passed is remembered (by the SHA-256 of its text, at most {@value #MAX_REMEMBERED}):
 * the same text again skips parsing and the signature check, which cost far more than the request
 * they guard, and is only checked for expiry. A different text, even by one character, is
 * verified in full.
 */
public final class TokenService implements TokenVerifier {

    // A JWT header is a flat object of a few short strings; it is client input, read on Netty I/O
    // threads for Socket.IO handshakes, so it gets limits far tighter than any request body's.
    private static final ObjectMapper HEADER_READER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(4).maxNumberLength(20)
                    .maxStringLength(1024).build())
            .build());

    private static final String ALGORITHM = "HS256";
    private static final String KEY_ID = "gateway-hs256";
    private static final String GENERATION = "gen";
    static final int MAX_REMEMBERED = 4096;

    private final Jwk key;
    private final JwkKeys keys;
    private final Duration ttl;
    private final Clock clock;
    /** Verified tokens by digest; emptied when full (a refill costs one full check per token). */
    private final ConcurrentHashMap<String, Principal> verified = new ConcurrentHashMap<>();

    public TokenService(byte[] secret, Duration ttl, Clock clock) {
        this.key = JwkOctet.create(jakarta.json.Json.createObjectBuilder()
                .add("kty", "oct")
                .add("alg", ALGORITHM)
                .add("kid", KEY_ID)
                .add("use", "sig")
                .add("k", Base64.getUrlEncoder().withoutPadding().encodeToString(secret))
                .build());
        this.keys = JwkKeys.builder().addKey(key).build();
        this.ttl = ttl;
        this.clock = clock;
    }

    /** A signed token for the user, valid for the configured time. */
    public IssuedToken issue(User user) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant expiresAt = now.plus(ttl);
        Jwt jwt = Jwt.builder()
                .algorithm(ALGORITHM)
                .type("JWT")
                .keyId(KEY_ID)
                .subject(user.id())
                .addPayloadClaim("name", user.username())
                .addPayloadClaim("role", user.role().name())
                .addPayloadClaim(GENERATION, user.generation())
                .issueTime(now)
                .expirationTime(expiresAt)
                .jwtId(UUID.randomUUID().toString())
                .build();
        return new IssuedToken(SignedJwt.sign(jwt, key).tokenContent(), expiresAt);
    }

    @Override
    public Principal verify(String token) throws InvalidTokenException {
        if (token == null || token.isBlank()) {
            throw new InvalidTokenException(InvalidTokenException.Reason.MISSING, "Missing token");
        }
        // By digest, not by text: a lookup compares no secret text with a caller's guess.
        String key = digest(token.strip());
        Principal known = verified.get(key);
        if (known != null) {
            if (!clock.instant().isBefore(known.expiresAt())) {
                verified.remove(key);
                throw new InvalidTokenException(InvalidTokenException.Reason.EXPIRED, "Token expired");
            }
            return known;
        }
        Principal principal = verifyInFull(token);
        if (verified.size() >= MAX_REMEMBERED) {
            verified.clear();
        }
        verified.put(key, principal);
        return principal;
    }

    /** @return how many verified tokens are remembered */
    int remembered() {
        return verified.size();
    }

    private static String digest(String token) {
        try {
            return Base64.getEncoder().encodeToString(
                    java.security.MessageDigest.getInstance("SHA-256").digest(token.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private Principal verifyInFull(String token) throws InvalidTokenException {
        String[] parts = token.strip().split("\\.", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw malformed();
        }
        String algorithm = headerAlgorithm(parts[0]);
        if (!ALGORITHM.equals(algorithm)) {
            throw new InvalidTokenException(InvalidTokenException.Reason.UNSUPPORTED_ALGORITHM,
                    "Token algorithm '" + algorithm + "' is not accepted (HS256 only)");
        }
        SignedJwt signed;
        try {
            signed = SignedJwt.parseToken(token.strip());
        } catch (RuntimeException e) {
            throw malformed();
        }
        Errors errors;
        try {
            errors = signed.verifySignature(keys, key);
        } catch (RuntimeException e) {
            errors = null;
        }
        if (errors == null || !errors.isValid()) {
            throw new InvalidTokenException(InvalidTokenException.Reason.BAD_SIGNATURE, "Token signature is invalid");
        }
        Jwt jwt;
        Instant expiresAt;
        String subject;
        String name;
        Role role;
        String tokenId;
        try {
            // A claim of the wrong type (an exp that is a string or past Instant's range) throws
            // from the library, as it reads the claims: a malformed token, not a server error.
            jwt = signed.getJwt();
            expiresAt = jwt.expirationTime().orElseThrow(TokenService::malformed);
            subject = jwt.subject().orElseThrow(TokenService::malformed);
            name = stringClaim(jwt, "name").orElseThrow(TokenService::malformed);
            role = Role.valueOf(stringClaim(jwt, "role").orElseThrow(TokenService::malformed));
            tokenId = jwt.jwtId().orElseThrow(TokenService::malformed);
        } catch (RuntimeException e) {
            throw malformed();
        }
        if (!clock.instant().isBefore(expiresAt)) {
            throw new InvalidTokenException(InvalidTokenException.Reason.EXPIRED, "Token expired");
        }
        return new Principal(subject, name, role, expiresAt, tokenId, generation(jwt));
    }

    private static String headerAlgorithm(String encodedHeader) throws InvalidTokenException {
        try {
            JsonNode header = HEADER_READER.readTree(Base64.getUrlDecoder().decode(encodedHeader));
            JsonNode alg = header == null ? null : header.get("alg");
            if (alg == null || !alg.isTextual()) {
                throw malformed();
            }
            return alg.textValue();
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw malformed();
        }
    }

    private static long generation(Jwt jwt) throws InvalidTokenException {
        Optional<JsonValue> value = jwt.payloadClaim(GENERATION);
        if (value.isEmpty()) {
            return 0;
        }
        if (value.get() instanceof JsonNumber number && number.isIntegral()) {
            return number.longValue();
        }
        throw malformed();
    }

    private static Optional<String> stringClaim(Jwt jwt, String claim) {
        Optional<JsonValue> value = jwt.payloadClaim(claim);
        return value.filter(v -> v instanceof JsonString).map(v -> ((JsonString) v).getString());
    }

    private static InvalidTokenException malformed() {
        return new InvalidTokenException(InvalidTokenException.Reason.MALFORMED, "Token is malformed");
    }

    /** A token and its expiry. */
    public record IssuedToken(String token, Instant expiresAt) {
    }
}
