package io.wagateway.web;

import io.helidon.http.Status;
import io.wagateway.api.SessionStatus;
import io.wagateway.auth.Principal;
import io.wagateway.auth.User;
import io.wagateway.auth.UserService;
import io.wagateway.error.DomainException;
import io.wagateway.plugin.EngineRegistry;
import io.wagateway.plugin.RegisteredEngine;
import io.wagateway.session.Session;
import io.wagateway.session.SessionService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The sessions dashboard ({@code /}) and one session's page ({@code /sessions/{id}}), read from
 * the same session service REST uses; the POSTs that change sessions are {@link SessionCommands}'.
 * Both pages follow the gateway's events live through {@link LiveEvents} (see {@code app.js}).
 */
final class SessionPages {

    static final int RECENT_MESSAGES = 20;

    private final SessionService sessions;
    private final UserService users;
    private final EngineRegistry engines;
    private final Pages pages;

    SessionPages(SessionService sessions, UserService users, EngineRegistry engines, Pages pages) {
        this.sessions = sessions;
        this.users = users;
        this.engines = engines;
        this.pages = pages;
    }

    void dashboard(ServerRequest req, ServerResponse res) {
        Browser browser = WebUi.browser(req);
        PageModel model = PageModel.of(browser, "Sessions", "sessions");
        notice(req, model);
        renderDashboard(res, browser, model, Status.OK_200, req.query().first("status").orElse(""),
                req.query().first("owner").orElse(""));
    }

    void renderDashboard(ServerResponse res, Browser browser, PageModel model, Status status, String statusFilter,
                         String ownerFilter) {
        List<User> everyone = users.list();
        Map<String, String> names = ownerNames(everyone);
        List<Map<String, Object>> rows = sessions.list(browser.principal()).stream()
                .filter(s -> statusFilter.isEmpty() || s.status().name().equals(statusFilter))
                .filter(s -> ownerFilter.isEmpty() || s.userId().equals(ownerFilter))
                .sorted(Comparator.comparing(Session::createdAt).reversed())
                .map(s -> Views.session(s, names))
                .toList();
        model.put("sessions", rows)
                .put("statuses", Views.statusOrder())
                .put("users", everyone.stream().sorted(Comparator.comparing(User::username)).map(Views::user).toList())
                .put("engines", engines.names().stream().sorted().toList())
                .put("filterStatus", statusFilter)
                .put("filterOwner", ownerFilter)
                .put("adminId", browser.principal().userId());
        pages.render(res, status, "sessions", model.asMap());
    }

    void session(ServerRequest req, ServerResponse res) {
        Browser browser = WebUi.browser(req);
        PageModel model = PageModel.of(browser, "Session", "sessions");
        notice(req, model);
        renderSession(res, browser, model, Status.OK_200, req.path().pathParameters().get("id"));
    }

    void renderSession(ServerResponse res, Browser browser, PageModel model, Status status, String sessionId) {
        Principal admin = browser.principal();
        Session session;
        try {
            session = sessions.get(admin, sessionId);
        } catch (DomainException.NotFound e) {
            pages.message(res, Status.NOT_FOUND_404, "No such session", e.getMessage(), true);
            return;
        }
        Map<String, String> names = ownerNames(users.list());
        model.put("title", "Session " + session.name())
                .put("session", Views.session(session, names))
                .put("qr", sessions.pendingQr(admin, sessionId).map(Views::qr).orElse(null))
                .put("connected", session.status() == SessionStatus.CONNECTED)
                .put("messages", sessions.messages(admin, sessionId, RECENT_MESSAGES).stream().map(Views::message).toList())
                .put("actions", engines.find(session.engine()).map(RegisteredEngine::actions).orElse(List.of())
                        .stream().map(Views::action).toList())
                .put("engineLoaded", engines.find(session.engine()).isPresent());
        pages.render(res, status, "session", model.asMap());
    }

    static Map<String, String> ownerNames(List<User> everyone) {
        return everyone.stream().collect(Collectors.toMap(User::id, User::username, (a, b) -> a));
    }

    private static void notice(ServerRequest req, PageModel model) {
        req.query().first("done").map(NOTICES::get).ifPresent(model::notice);
    }

    /** What the page says after a successful action (the query names one of these; nothing else is shown). */
    private static final Map<String, String> NOTICES = Map.of(
            "created", "Session created. Start it to show a QR code.",
            "started", "Starting…",
            "stopped", "Stopped. The credentials are kept: the next start needs no scan.",
            "logged-out", "Logged out. The credentials are deleted: the next start needs a new scan.",
            "deleted", "Session deleted.",
            "sent", "Message handed to the engine; its ticks follow below.",
            "action", "Done.");
}
