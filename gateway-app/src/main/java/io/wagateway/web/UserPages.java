package io.wagateway.web;

import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.wagateway.auth.Role;
import io.wagateway.auth.User;
import io.wagateway.auth.UserService;
import io.wagateway.error.DomainException;
import io.wagateway.http.ErrorHandlers;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /users}: create users, set a role, disable or enable, reset a password, through the user
 * service REST uses. A change of role, a disable or a reset ends the user's tokens (REST, Socket.IO
 * and this UI's cookie alike) on their next request.
 */
final class UserPages {

    static final String CREATE = "create";
    private static final Map<String, String> NOTICES = Map.of(
            "created", "User created.",
            "role", "Role changed. The user's earlier tokens no longer work.",
            "enabled", "User enabled.",
            "disabled", "User disabled. Their tokens no longer work.",
            "password", "Password reset. The user's earlier tokens no longer work.");

    private final UserService users;
    private final Pages pages;

    UserPages(UserService users, Pages pages) {
        this.users = users;
        this.pages = pages;
    }

    void list(ServerRequest req, ServerResponse res) {
        Browser browser = WebUi.browser(req);
        PageModel model = PageModel.of(browser, "Users", "users");
        req.query().first("done").map(NOTICES::get).ifPresent(model::notice);
        render(res, model, Status.OK_200, browser);
    }

    private void render(ServerResponse res, PageModel model, Status status, Browser browser) {
        model.put("users", users.list().stream().sorted(Comparator.comparing(User::username)).map(Views::user).toList())
                .put("roles", List.of(Role.USER.name(), Role.ADMIN.name()))
                .put("adminId", browser.principal().userId());
        pages.render(res, status, "users", model.asMap());
    }

    void create(ServerRequest req, ServerResponse res) {
        Browser browser = WebUi.browser(req);
        Form form = browser.form();
        PageModel model = PageModel.of(browser, "Users", "users").typed(CREATE, form);
        String username = form.text("username").orElse("");
        String password = form.fields().getOrDefault("password", "");
        Optional<Role> role = role(form.raw("role"));
        if (role.isEmpty()) {
            model.error(CREATE, "role", "Choose USER or ADMIN.");
            render(res, model, Status.BAD_REQUEST_400, browser);
            return;
        }
        try {
            users.create(username, password, role.get());
            Pages.redirect(res, "/users?done=created");
        } catch (DomainException e) {
            model.error(CREATE, Refusals.field(e, List.of("username", "password", "role")), e.getMessage());
            render(res, model, ErrorHandlers.statusOf(e), browser);
        }
    }

    void setRole(ServerRequest req, ServerResponse res) {
        Browser browser = WebUi.browser(req);
        Optional<Role> role = role(browser.form().raw("role"));
        change(req, res, "role", () -> users.update(id(req), role.orElseThrow(
                () -> new DomainException.Invalid("'role' must be USER or ADMIN")), null));
    }

    void setEnabled(ServerRequest req, ServerResponse res) {
        boolean enabled = WebUi.browser(req).form().raw("enabled").equals("true");
        change(req, res, enabled ? "enabled" : "disabled", () -> users.update(id(req), null, enabled));
    }

    void resetPassword(ServerRequest req, ServerResponse res) {
        String password = WebUi.browser(req).form().fields().getOrDefault("password", "");
        change(req, res, "password", () -> users.setPassword(id(req), password));
    }

    private void change(ServerRequest req, ServerResponse res, String done, Runnable change) {
        Browser browser = WebUi.browser(req);
        try {
            change.run();
            Pages.redirect(res, "/users?done=" + done);
        } catch (DomainException e) {
            // Each user's row has its own forms: the error goes next to that row's field.
            String form = "user-" + id(req);
            PageModel model = PageModel.of(browser, "Users", "users").typed(form, browser.form());
            model.error(form, Refusals.field(e, List.of("role", "password", "enabled")), e.getMessage());
            render(res, model, ErrorHandlers.statusOf(e), browser);
        }
    }

    private static Optional<Role> role(String text) {
        try {
            return Optional.of(Role.valueOf(text.strip().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String id(ServerRequest req) {
        return req.path().pathParameters().get("id");
    }
}
