package io.wagateway.web;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.wagateway.auth.InvalidTokenException;
import io.wagateway.auth.Principal;
import io.wagateway.auth.TokenVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Runs before every web UI route: sets the security headers, finds the signed-in admin from the
 * session cookie (with the one token check REST and Socket.IO use), reads a posted form and checks
 * its {@code _csrf} field. Signed-out browsers are sent to {@code /login}; a signed-in user who is
 * not an admin gets {@code 403}; a POST without the right {@code _csrf} gets {@code 403}. Only then
 * does the route's handler run, with a {@link Browser} in the request context.
 */
final class WebGuard implements Handler {

    /** The one route that takes a body of up to the upload limit (a plugin jar). */
    static final String UPLOAD_PATH = "/plugins";
    /** Paths a signed-out browser may open. */
    private static final Set<String> PUBLIC = Set.of("/login");
    /** No inline script or style anywhere; QR codes are inline SVG markup (not script). */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private final TokenVerifier verifier;
    private final CsrfTokens csrf;
    private final Pages pages;
    private final long maxFormBytes;
    private final long maxUploadBytes;

    WebGuard(TokenVerifier verifier, CsrfTokens csrf, Pages pages, long maxFormBytes, long maxUploadBytes) {
        this.verifier = verifier;
        this.csrf = csrf;
        this.pages = pages;
        this.maxFormBytes = maxFormBytes;
        this.maxUploadBytes = maxUploadBytes;
    }

    /** The web UI's paths; anything else (health, metrics, OpenAPI, ...) is not the guard's business. */
    private static final Set<String> ROOTS = Set.of("login", "logout", "sessions", "users", "plugins", "events", "static");

    static boolean isWebPath(String path) {
        if (path.equals("/")) {
            return true;
        }
        int end = path.indexOf('/', 1);
        return ROOTS.contains(end < 0 ? path.substring(1) : path.substring(1, end));
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        String path = req.path().path();
        if (!isWebPath(path)) {
            res.next();
            return;
        }
        securityHeaders(res);
        if (path.startsWith("/static/")) {
            res.next();
            return;
        }
        Optional<Principal> principal = signedIn(req, res);
        boolean isPublic = PUBLIC.contains(path);
        if (principal.isEmpty() && !isPublic) {
            if (path.equals("/events")) {
                // EventSource cannot follow a redirect to a page; it sees the error and the page signs in again.
                res.status(Status.UNAUTHORIZED_401).send();
            } else {
                Pages.redirect(res, "/login");
            }
            return;
        }
        if (principal.isPresent() && !principal.get().isAdmin()) {
            if (!isPublic) {
                pages.message(res, Status.FORBIDDEN_403, "Administrators only",
                        "The admin UI is for administrators. Your account (" + principal.get().username()
                                + ") is a USER account: use the REST API or Socket.IO instead.", false);
                return;
            }
            // On the login page a USER's cookie counts for nothing: an admin may sign in over it.
            principal = Optional.empty();
        }
        // The request log names the user, as it does for REST.
        principal.ifPresent(p -> req.context().register(p));
        String token = principal.map(p -> csrf.forSignedIn(p.tokenId()))
                .orElseGet(() -> csrf.forLogin(BrowserCookies.preLogin(req, res)));
        Form form = Form.empty();
        if (req.prologue().method() == Method.POST) {
            Optional<Form> posted = readForm(req, res);
            if (posted.isEmpty()) {
                return;
            }
            form = posted.get();
            if (!CsrfTokens.matches(token, form.fields().get(Form.CSRF))) {
                pages.message(res, Status.FORBIDDEN_403, "Form refused",
                        "This form was missing its security token or it was out of date (after signing in again, "
                                + "for example). Go back, reload the page and try again.", principal.isPresent());
                return;
            }
        }
        req.context().register(new Browser(principal, token, form));
        res.next();
    }

    private Optional<Principal> signedIn(ServerRequest req, ServerResponse res) {
        Optional<String> cookie = BrowserCookies.read(req, BrowserCookies.SESSION);
        if (cookie.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(verifier.verify(cookie.get()));
        } catch (InvalidTokenException e) {
            // Expired, signed out, disabled, demoted: the cookie is worthless from now on.
            BrowserCookies.clearSession(req, res);
            return Optional.empty();
        }
    }

    /** @return the form, or empty when a refusal was already sent */
    private Optional<Form> readForm(ServerRequest req, ServerResponse res) {
        String type = req.headers().first(HeaderNames.CONTENT_TYPE).orElse("").toLowerCase(Locale.ROOT);
        Optional<String> boundary = MultipartForm.boundary(type.isEmpty() ? null
                : req.headers().first(HeaderNames.CONTENT_TYPE).orElse(""));
        // Only the plugin upload (signed in by now: the guard sent everyone else to /login) may be
        // upload-sized; any other form, multipart or not, the login form above all, gets the form limit.
        boolean upload = boundary.isPresent() && req.path().path().equals(UPLOAD_PATH);
        long limit = upload ? maxUploadBytes : maxFormBytes;
        if (!type.startsWith("application/x-www-form-urlencoded") && boundary.isEmpty()) {
            pages.message(res, Status.FORBIDDEN_403, "Form refused", "Forms are posted as HTML forms only.", false);
            return Optional.empty();
        }
        byte[] body;
        try (InputStream in = req.content().inputStream()) {
            body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (body.length > limit) {
            res.header(HeaderNames.CONNECTION, "close");
            pages.message(res, Status.REQUEST_ENTITY_TOO_LARGE_413, "Too large",
                    "What was posted is larger than " + (limit / 1024) + " KiB.", false);
            return Optional.empty();
        }
        if (boundary.isEmpty()) {
            return Optional.of(Form.urlEncoded(new String(body, StandardCharsets.UTF_8)));
        }
        try {
            return Optional.of(MultipartForm.parse(body, boundary.get()));
        } catch (IllegalArgumentException e) {
            pages.message(res, Status.BAD_REQUEST_400, "Upload refused", "The upload was not a well-formed form.", false);
            return Optional.empty();
        }
    }

    static void securityHeaders(ServerResponse res) {
        res.header(HeaderNames.create("Content-Security-Policy"), CSP);
        res.header(HeaderNames.create("X-Frame-Options"), "DENY");
        res.header(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff");
        res.header(HeaderNames.create("Referrer-Policy"), "same-origin");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
    }
}
