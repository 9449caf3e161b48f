package io.wagateway.web;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * The web UI's two cookies, both {@code HttpOnly} (no page script can read them),
 * {@code SameSite=Strict} (no other site's page sends them) and {@code Secure} when the page is
 * served over https: the session cookie holds the signed-in admin's JWT, the same kind of token
 * REST and Socket.IO accept, so signing out, disabling or demoting the user ends it exactly as it
 * ends their bearer tokens; the pre-login cookie is a random value the login form's CSRF token is
 * bound to.
 */
final class BrowserCookies {

    static final String SESSION = "gw_session";
    static final String PRE_LOGIN = "gw_login";

    private static final SecureRandom RANDOM = new SecureRandom();

    private BrowserCookies() {
    }

    static Optional<String> read(ServerRequest req, String name) {
        return req.headers().cookies().first(name).filter(v -> !v.isBlank());
    }

    static void setSession(ServerRequest req, ServerResponse res, String token, Duration maxAge) {
        set(req, res, SESSION, token, maxAge);
    }

    static void clearSession(ServerRequest req, ServerResponse res) {
        set(req, res, SESSION, "", Duration.ZERO);
    }

    /** @return the browser's pre-login value, set now when it has none */
    static String preLogin(ServerRequest req, ServerResponse res) {
        Optional<String> existing = read(req, PRE_LOGIN).filter(v -> v.matches("[A-Za-z0-9_-]{20,64}"));
        if (existing.isPresent()) {
            return existing.get();
        }
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        String value = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        set(req, res, PRE_LOGIN, value, Duration.ofHours(12));
        return value;
    }

    private static void set(ServerRequest req, ServerResponse res, String name, String value, Duration maxAge) {
        StringBuilder cookie = new StringBuilder(name).append('=').append(value)
                .append("; Path=/; Max-Age=").append(Math.max(0, maxAge.toSeconds()))
                .append("; HttpOnly; SameSite=Strict");
        if (req.isSecure()) {
            cookie.append("; Secure");
        }
        res.headers().add(HeaderNames.SET_COOKIE, cookie.toString());
    }
}
