package io.wagateway.web;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.wagateway.auth.Identity;
import io.wagateway.event.EventBus;
import io.wagateway.plugin.PluginHost;
import io.wagateway.session.SessionService;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;

/**
 * The admin web UI on the HTTP port: server-rendered pages (web-ui's Thymeleaf templates) for
 * sessions, users and plugins, and their live updates. It calls the same services the REST
 * handlers call. Every route runs behind {@link WebGuard} (cookie sign-in, admins only, CSRF,
 * security headers). Register it after the REST API, so {@code /api/*} never reaches it.
 */
public final class WebUi implements HttpService, AutoCloseable {

    private final WebGuard guard;
    private final StaticAssets assets = new StaticAssets();
    private final LoginPages login;
    private final SessionPages sessionPages;
    private final SessionCommands sessionCommands;
    private final UserPages users;
    private final PluginPages plugins;
    private final LiveEvents live;

    /**
     * @param settings what the UI needs to know of the gateway's configuration
     */
    public WebUi(Identity identity, SessionService sessions, PluginHost pluginHost, EventBus bus, Settings settings,
                 InstantSource clock) {
        Pages pages = new Pages();
        this.guard = new WebGuard(identity.verifier(), new CsrfTokens(settings.secret()), pages,
                settings.maxFormBytes(), settings.maxUploadBytes());
        this.login = new LoginPages(identity, pages, clock);
        this.sessionPages = new SessionPages(sessions, identity.users(), pluginHost, pages);
        this.sessionCommands = new SessionCommands(sessions, identity.users(), pluginHost, sessionPages);
        this.users = new UserPages(identity.users(), pages);
        this.plugins = new PluginPages(pluginHost, settings.pluginsDir(), settings.pluginPatience(), pages, clock);
        this.live = new LiveEvents(bus, sessions, identity.verifier(), settings.heartbeat(), clock);
    }

    /**
     * @param secret         the gateway's token secret (the CSRF key is derived from it)
     * @param maxFormBytes   the largest form body accepted
     * @param maxUploadBytes the largest plugin jar upload accepted
     * @param pluginsDir     where uploaded jars go
     * @param pluginPatience how long an upload waits for the plugin host to load it
     * @param heartbeat      how often an idle live stream sends a keep-alive
     */
    public record Settings(byte[] secret, long maxFormBytes, long maxUploadBytes, Path pluginsDir,
                           Duration pluginPatience, Duration heartbeat) {
    }

    @Override
    public void routing(HttpRules rules) {
        rules.any(guard)
                .get("/static/{name}", assets::serve)
                .get("/login", login::show)
                .post("/login", login::signIn)
                .post("/logout", login::signOut)
                .get("/", sessionPages::dashboard)
                .post("/sessions", sessionCommands::create)
                .get("/sessions/{id}", sessionPages::session)
                .post("/sessions/{id}/start", sessionCommands::start)
                .post("/sessions/{id}/stop", sessionCommands::stop)
                .post("/sessions/{id}/logout", sessionCommands::logout)
                .post("/sessions/{id}/delete", sessionCommands::delete)
                .post("/sessions/{id}/actions/{action}", sessionCommands::action)
                .post("/sessions/{id}/messages", sessionCommands::send)
                .get("/events", live::stream)
                .get("/users", users::list)
                .post("/users", users::create)
                .post("/users/{id}/role", users::setRole)
                .post("/users/{id}/enabled", users::setEnabled)
                .post("/users/{id}/password", users::resetPassword)
                .get("/plugins", plugins::list)
                .post(WebGuard.UPLOAD_PATH, plugins::upload)
                .post("/plugins/remove", plugins::remove);
    }

    /** What {@link WebGuard} registered for this request. */
    static Browser browser(ServerRequest req) {
        return req.context().get(Browser.class)
                .orElseThrow(() -> new IllegalStateException("web route reached without the guard"));
    }

    /** Ends the open live streams, before the web server stops. */
    @Override
    public void close() {
        live.close();
    }
}
