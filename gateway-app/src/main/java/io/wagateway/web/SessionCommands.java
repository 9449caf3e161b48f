package io.wagateway.web;

import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.wagateway.auth.Principal;
import io.wagateway.auth.User;
import io.wagateway.auth.UserService;
import io.wagateway.error.DomainException;
import io.wagateway.http.ErrorHandlers;
import io.wagateway.plugin.EngineRegistry;
import io.wagateway.plugin.RegisteredEngine;
import io.wagateway.session.Session;
import io.wagateway.session.SessionService;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The POSTs that change sessions: create, start, stop, logout, delete, an engine action, a test
 * message. Each calls the session service REST uses; success redirects back to the page (so a
 * reload never posts again), a domain refusal shows the page again with the message next to the
 * field it is about and what was typed kept.
 */
final class SessionCommands {

    static final String CREATE = "create";
    static final String SEND = "send";
    private static final String PARAM = "p.";

    private final SessionService sessions;
    private final UserService users;
    private final EngineRegistry engines;
    private final SessionPages pages;

    SessionCommands(SessionService sessions, UserService users, EngineRegistry engines, SessionPages pages) {
        this.sessions = sessions;
        this.users = users;
        this.engines = engines;
        this.pages = pages;
    }

    void create(ServerRequest req, ServerResponse res) {
        Browser browser = WebUi.browser(req);
        Form form = browser.form();
        PageModel model = PageModel.of(browser, "Sessions", "sessions").typed(CREATE, form);
        Optional<String> name = form.text("name");
        Optional<String> engine = form.text("engine");
        Optional<User> owner = form.text("owner").flatMap(users::find);
        if (name.isEmpty()) {
            model.error(CREATE, "name", "Give the session a name.");
        }
        if (engine.isEmpty()) {
            model.error(CREATE, "engine", "Choose an engine.");
        } else if (engines.find(engine.get()).isEmpty()) {
            model.error(CREATE, "engine", "Unknown engine '" + engine.get() + "'; loaded: " + engines.names());
            engine = Optional.empty();
        }
        if (owner.isEmpty()) {
            model.error(CREATE, "owner", "Choose the user who owns the session.");
        }
        if (name.isEmpty() || engine.isEmpty() || owner.isEmpty()) {
            pages.renderDashboard(res, browser, model, Status.BAD_REQUEST_400, "", "");
            return;
        }
        try {
            // The session belongs to the chosen owner, as if they had created it; the admin may act for anyone.
            User u = owner.get();
            Session created = sessions.create(new Principal(u.id(), u.username(), u.role(), Instant.MAX),
                    name.get(), engine.get());
            Pages.redirect(res, sessionPath(created.sessionId()) + "?done=created");
        } catch (DomainException e) {
            model.error(CREATE, Refusals.field(e, List.of("name", "engine", "owner")), e.getMessage());
            pages.renderDashboard(res, browser, model, ErrorHandlers.statusOf(e), "", "");
        }
    }

    void start(ServerRequest req, ServerResponse res) {
        command(req, res, "started", sessions::start);
    }

    void stop(ServerRequest req, ServerResponse res) {
        command(req, res, "stopped", sessions::stop);
    }

    void logout(ServerRequest req, ServerResponse res) {
        command(req, res, "logged-out", sessions::logout);
    }

    void delete(ServerRequest req, ServerResponse res) {
        Browser browser = WebUi.browser(req);
        String id = id(req);
        try {
            sessions.delete(browser.principal(), id);
            Pages.redirect(res, "/?done=deleted");
        } catch (DomainException e) {
            refused(res, browser, id, "control", e, List.of(), "");
        }
    }

    void action(ServerRequest req, ServerResponse res) {
        Browser browser = WebUi.browser(req);
        String id = id(req);
        String action = req.path().pathParameters().get("action");
        Map<String, Object> params = new LinkedHashMap<>();
        browser.form().withPrefix(PARAM).forEach((key, value) -> {
            if (!value.isBlank()) {
                params.put(key, value.strip());
            }
        });
        try {
            sessions.action(browser.principal(), id, action, params);
            Pages.redirect(res, sessionPath(id) + "?done=action");
        } catch (DomainException e) {
            List<String> fields = engines.find(engineOf(browser.principal(), id))
                    .map(RegisteredEngine::actions).orElse(List.of()).stream()
                    .filter(a -> a.name().equals(action)).flatMap(a -> a.params().stream())
                    .map(p -> p.name()).toList();
            refused(res, browser, id, "action-" + action, e, fields, PARAM);
        }
    }

    void send(ServerRequest req, ServerResponse res) {
        Browser browser = WebUi.browser(req);
        String id = id(req);
        Form form = browser.form();
        Optional<String> to = form.text("to");
        Optional<String> text = form.text("text");
        if (to.isEmpty() || text.isEmpty()) {
            PageModel model = PageModel.of(browser, "Session", "sessions").typed(SEND, form);
            to.ifPresentOrElse(t -> { }, () -> model.error(SEND, "to", "Enter the recipient's phone number."));
            text.ifPresentOrElse(t -> { }, () -> model.error(SEND, "text", "Enter the message text."));
            pages.renderSession(res, browser, model, Status.BAD_REQUEST_400, id);
            return;
        }
        try {
            sessions.send(browser.principal(), id, to.get(), text.get(), null);
            Pages.redirect(res, sessionPath(id) + "?done=sent#messages");
        } catch (DomainException e) {
            refused(res, browser, id, SEND, e, List.of("to", "text"), "");
        }
    }

    private String engineOf(Principal admin, String id) {
        try {
            return sessions.get(admin, id).engine();
        } catch (DomainException e) {
            return "";
        }
    }

    private interface Command {
        void run(Principal caller, String sessionId);
    }

    private void command(ServerRequest req, ServerResponse res, String done, Command command) {
        Browser browser = WebUi.browser(req);
        String id = id(req);
        try {
            command.run(browser.principal(), id);
            boolean fromDashboard = browser.form().raw("back").equals("dashboard");
            Pages.redirect(res, (fromDashboard ? "/" : sessionPath(id)) + "?done=" + done);
        } catch (DomainException e) {
            refused(res, browser, id, "control", e, List.of(), "");
        }
    }

    private void refused(ServerResponse res, Browser browser, String id, String form, DomainException e,
                         List<String> fields, String prefix) {
        PageModel model = PageModel.of(browser, "Session", "sessions").typed(form, browser.form());
        String field = Refusals.field(e, fields);
        model.error(form, field.equals(Refusals.FORM) ? field : prefix + field, e.getMessage());
        pages.renderSession(res, browser, model, ErrorHandlers.statusOf(e), id);
    }

    private static String id(ServerRequest req) {
        return req.path().pathParameters().get("id");
    }

    static String sessionPath(String sessionId) {
        return "/sessions/" + URLEncoder.encode(sessionId, StandardCharsets.UTF_8);
    }
}
