package io.wagateway.web;

import io.helidon.http.HeaderName;
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
 * served over https, to the gateway or to a proxy in front of it: the session cookie holds the signed-in admin's JWT, the same kind of token
 * REST and Socket.IO accept, so signing out, disabling or demoting the user ends it exactly as it
 * ends their bearer tokens; the pre-login cookie is a random value the login form's CSRF token is
 * bound to.
 */
final class BrowserCookies {

    static final String SESSION = "gw_session";
    static final String PRE_LOGIN = "gw_login";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HeaderName X_FORWARDED_PROTO = HeaderNames.create("X-Forwarded-Proto");

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
        if (req.isSecure() || httpsAtTheProxy(req)) {
            cookie.append("; Secure");
        }
        res.headers().add(HeaderNames.SET_COOKIE, cookie.toString());
    }

    /**
     * Whether a proxy in front says the browser came over https ({@code X-Forwarded-Proto}, or
     * {@code proto} in {@code Forwarded}; the first hop's). Trusted without knowing the proxy: a
     * client that claims it over plain http only gets cookies its browser will not send back.
     */
    static boolean httpsAtTheProxy(ServerRequest req) {
        Optional<String> proto = req.headers().first(X_FORWARDED_PROTO).map(v -> v.split(",", 2)[0].strip())
                .or(() -> req.headers().first(HeaderNames.FORWARDED).flatMap(BrowserCookies::forwardedProto));
        return proto.filter("https"::equalsIgnoreCase).isPresent();
    }

    private static Optional<String> forwardedProto(String forwarded) {
        for (String pair : forwarded.split(",", 2)[0].split(";")) {
            String[] kv = pair.strip().split("=", 2);
            if (kv.length == 2 && kv[0].equalsIgnoreCase("proto")) {
                return Optional.of(kv[1].strip().replace("\"", ""));
            }
        }
        return Optional.empty();
    }
}
