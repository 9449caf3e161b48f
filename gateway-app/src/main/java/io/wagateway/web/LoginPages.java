package io.wagateway.web;

import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.wagateway.auth.Identity;
import io.wagateway.auth.LoginService;
import io.wagateway.auth.Role;
import io.wagateway.error.DomainException;
import io.wagateway.http.ErrorHandlers;
import java.time.Duration;
import java.time.InstantSource;

/**
 * {@code /login} and {@code /logout}: signing in with the same login service as
 * {@code POST /api/auth/login} (same throttling, same answer for a wrong password and a disabled
 * user), admins only; the token goes into the session cookie. Signing out revokes that token exactly
 * like {@code POST /api/auth/logout}.
 */
final class LoginPages {

    private static final String FORM = "login";

    private final Identity identity;
    private final Pages pages;
    private final InstantSource clock;

    LoginPages(Identity identity, Pages pages, InstantSource clock) {
        this.identity = identity;
        this.pages = pages;
        this.clock = clock;
    }

    void show(ServerRequest req, ServerResponse res) {
        Browser browser = WebUi.browser(req);
        if (browser.admin().isPresent()) {
            Pages.redirect(res, "/");
            return;
        }
        PageModel model = PageModel.of(browser, "Sign in", "login");
        if (req.query().first("done").orElse("").equals("signed-out")) {
            model.notice("You are signed out.");
        }
        pages.render(res, Status.OK_200, "login", model.asMap());
    }

    void signIn(ServerRequest req, ServerResponse res) {
        Browser browser = WebUi.browser(req);
        Form form = browser.form();
        PageModel model = PageModel.of(browser, "Sign in", "login").typed(FORM, form);
        String username = form.text("username").orElse("");
        String password = form.fields().getOrDefault("password", "");
        if (username.isEmpty()) {
            model.error(FORM, "username", "Enter your username.");
        }
        if (password.isEmpty()) {
            model.error(FORM, "password", "Enter your password.");
        }
        if (username.isEmpty() || password.isEmpty() || username.length() > 64 || password.length() > 256) {
            pages.render(res, Status.BAD_REQUEST_400, "login", model.asMap());
            return;
        }
        LoginService.Login login;
        try {
            login = identity.logins().login(username, password, identity.addresses().of(req));
        } catch (DomainException e) {
            model.error(FORM, Refusals.FORM, e.getMessage());
            pages.render(res, ErrorHandlers.statusOf(e), "login", model.asMap());
            return;
        }
        if (login.user().role() != Role.ADMIN) {
            model.error(FORM, Refusals.FORM, "Only administrators can sign in to the admin UI. '"
                    + login.user().username() + "' is a USER account: it works with the REST API and Socket.IO.");
            pages.render(res, Status.FORBIDDEN_403, "login", model.asMap());
            return;
        }
        Duration maxAge = Duration.between(clock.instant(), login.token().expiresAt());
        BrowserCookies.setSession(req, res, login.token().token(), maxAge);
        Pages.redirect(res, "/");
    }

    void signOut(ServerRequest req, ServerResponse res) {
        WebUi.browser(req).admin().ifPresent(identity.logins()::logout);
        BrowserCookies.clearSession(req, res);
        Pages.redirect(res, "/login?done=signed-out");
    }
}
