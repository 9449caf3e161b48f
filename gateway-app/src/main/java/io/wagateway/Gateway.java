package io.wagateway;

import io.helidon.config.Config;
import io.helidon.openapi.OpenApiFeature;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;
import io.wagateway.auth.AdminRequests;
import io.wagateway.auth.AuthHttpService;
import io.wagateway.auth.BearerAuthFilter;
import io.wagateway.auth.Caller;
import io.wagateway.auth.Identity;
import io.wagateway.auth.JwtSecret;
import io.wagateway.auth.TokenService;
import io.wagateway.auth.UserStore;
import io.wagateway.auth.UsersHttpService;
import io.wagateway.config.GatewaySettings;
import io.wagateway.config.PluginSettings;
import io.wagateway.delivery.DeliveriesHttpService;
import io.wagateway.delivery.DeliveryService;
import io.wagateway.delivery.EventEnvelopes;
import io.wagateway.delivery.SubscriberAccess;
import io.wagateway.delivery.WebhooksHttpService;
import io.wagateway.event.EventBus;
import io.wagateway.http.ApiException;
import io.wagateway.http.ConnectionGuard;
import io.wagateway.http.CorsFilter;
import io.wagateway.http.CorsPolicy;
import io.wagateway.http.ErrorHandlers;
import io.wagateway.http.RequestLogFilter;
import io.wagateway.http.TransportErrorHandler;
import io.wagateway.plugin.PluginHost;
import io.wagateway.plugin.PluginsHttpService;
import io.wagateway.session.CredentialRepository;
import io.wagateway.session.InboundMessageStore;
import io.wagateway.session.MessageStore;
import io.wagateway.session.SessionService;
import io.wagateway.session.SessionStore;
import io.wagateway.session.SessionsHttpService;
import io.wagateway.socket.EventPayloads;
import io.wagateway.socket.SocketServer;
import io.wagateway.store.BatchedStatements;
import io.wagateway.store.DataDirectory;
import io.wagateway.store.Database;
import io.wagateway.store.DatabaseHealthCheck;
import io.wagateway.store.GroupCommit;
import io.wagateway.store.WriterMeters;
import io.wagateway.web.WebUi;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The assembled gateway: every part built by hand from the settings, started in order and closed
 * in reverse. {@link Main} runs one; tests start their own on free ports.
 */
public final class Gateway implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Gateway.class.getName());

    private final Deque<AutoCloseable> closeables = new ArrayDeque<>();
    private final GatewaySettings settings;
    private final Database database;
    private final Identity identity;
    private final SessionService sessions;
    private final InboundMessageStore inbound;
    private final GroupCommit writer;
    private final PluginHost plugins;
    private final DeliveryService delivery;
    private final EventBus bus;
    private final WebServer web;
    private final SocketServer socket;
    private final WebUi webUi;
    private static final long MAX_UPLOAD = 16L * 1024 * 1024;
    private static final java.time.Duration WEB_HEARTBEAT = java.time.Duration.ofSeconds(15);

    private Gateway(Config config) {
        Clock clock = Clock.systemUTC();
        settings = GatewaySettings.from(config.get("gateway"));
        DataDirectory.prepare(settings.dataDir());
        database = Database.open(settings.db(), settings.dataDir());
        closeables.push(database);
        try {
            byte[] secret = JwtSecret.resolve(settings.auth().jwtSecret(), settings.dataDir());
            identity = new Identity(new UserStore(database.client()), settings.auth(), secret, clock);
            closeables.push(identity);
            identity.users().bootstrapAdmin(settings.admin().username(), settings.admin().password());

            bus = new EventBus();
            plugins = new PluginHost(withWebhookSettings(settings.plugins(), settings.webhooks()));
            closeables.push(plugins);
            // Closed before the plugins: its workers stop before the sinks do.
            // The rows a group commit's units leave to the end of its batch: the outbox's and the stores'.
            BatchedStatements batched = new BatchedStatements(database::statement, !database.inProcess());
            delivery = new DeliveryService(database, plugins, bus, settings.delivery(),
                    new SubscriberAccess(this::canAccessSession, identity.standings()::activeRole),
                    new EventEnvelopes(EventPayloads::of), batched, clock);
            closeables.push(delivery);
            // Closed after the sessions (they write through it), before the database.
            // A commit's status changes are published in one burst: one write per Socket.IO client for them.
            writer = GroupCommit.start(database.client(), batched, settings.db().groupCommitWait(),
                    settings.db().writerThreads(), bus::burst);
            closeables.push(writer);
            closeables.push(new WriterMeters(writer));
            inbound = new InboundMessageStore(database.client(), delivery.outbox(), writer);
            sessions = new SessionService(new SessionStore(database.client(), delivery.outbox(), writer),
                    new MessageStore(database.client(), delivery.outbox(), writer), inbound,
                    new CredentialRepository(database.client()), plugins, bus, settings.sessions(),
                    settings.messages(), clock);
            closeables.push(sessions);
            // A deleted user's sessions go with them (engines stopped), with the deleting admin's rights.
            identity.users().addLifecycleListener(sessions::deleteAllOf);
            identity.users().addLifecycleListener((admin, userId) -> delivery.subscriptions().deleteAllOf(userId));
            plugins.start();
            delivery.start();

            webUi = new WebUi(identity, sessions, plugins, bus, new WebUi.Settings(secret, settings.http().maxBodyBytes(),
                    config.get("server.max-payload-size").asLong().orElse(MAX_UPLOAD), settings.plugins().dir(),
                    settings.plugins().debounce().plus(settings.plugins().startTimeout()), WEB_HEARTBEAT), clock);
            CorsPolicy cors = new CorsPolicy(settings.corsOrigins());
            long maxBody = settings.http().maxBodyBytes();
            WebServerConfig.Builder server = WebServer.builder().config(config.get("server"));
            ConnectionGuard guard = ConnectionGuard.install(server, settings.http(), clock);
            closeables.push(guard);
            web = server
                    .directHandlers(new TransportErrorHandler(clock).handlers())
                    .addFeature(ObserveFeature.builder()
                            // Everyone sees UP/DOWN per check; only an admin sees the details (paths).
                            .addObserver(HealthObserver.builder().details(true)
                                    .addCheck(new DatabaseHealthCheck(database, AdminRequests::current)).build())
                            .addObserver(MetricsObserver.create())
                            .build())
                    .addFeature(OpenApiFeature.builder().build())
                    .routing(routing -> routing(routing.addFilter(guard.bodyDeadlineFilter()), cors, maxBody))
                    .build()
                    .start();
            closeables.push(web::stop);
            // Popped before the server stops: open live streams end instead of holding the stop up.
            closeables.push(webUi);
            socket = SocketServer.start(settings.socketIo(), cors, identity.verifier(), sessions, bus, clock);
            closeables.push(socket);
            identity.addRevocationListener(socket.revocationListener());
            sessions.resumeAfterRestart();
            LOG.info(() -> "Gateway ready: HTTP on port " + web.port() + ", Socket.IO on port " + socket.port()
                    + ", database " + database.description());
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Builds and starts a gateway. @throws io.wagateway.config.ConfigException on a wrong setting */
    public static Gateway start(Config config) {
        return new Gateway(config);
    }

    private void routing(HttpRouting.Builder routing, CorsPolicy cors, long maxBody) {
        routing.addFilter(new RequestLogFilter(Caller::id))
                .addFilter(new CorsFilter(cors))
                .addFilter(new BearerAuthFilter(identity.verifier()))
                .addFilter(new AdminRequests());
        apiServices(maxBody).forEach(routing::register);
        routing.any("/api/*", (req, res) -> {
            throw ApiException.notFound("No such endpoint: " + req.prologue().method().text() + " "
                    + req.path().rawPath());
        });
        // After the API and its catch-all: the web UI never sees /api/*.
        routing.register(webUi);
        ErrorHandlers.register(routing);
    }

    /** The REST resources by mount point; the OpenAPI test reads their routes from here too. */
    Map<String, HttpService> apiServices(long maxBody) {
        Map<String, HttpService> services = new LinkedHashMap<>();
        services.put("/api/auth", new AuthHttpService(identity, maxBody));
        services.put("/api/users", new UsersHttpService(identity.users(), maxBody));
        services.put("/api/sessions", new SessionsHttpService(sessions, inbound, maxBody));
        services.put("/api/plugins", new PluginsHttpService(plugins));
        services.put("/api/webhooks", new WebhooksHttpService(delivery.subscriptions(), delivery.deliveries(), maxBody));
        services.put("/api/deliveries", new DeliveriesHttpService(delivery.deliveries()));
        return services;
    }

    public int httpPort() {
        return web.port();
    }

    public int socketPort() {
        return socket.port();
    }

    public SocketServer socketServer() {
        return socket;
    }

    public EventBus events() {
        return bus;
    }

    public TokenService tokens() {
        return identity.tokens();
    }

    public SessionService sessions() {
        return sessions;
    }

    public PluginHost plugins() {
        return plugins;
    }

    public DeliveryService delivery() {
        return delivery;
    }

    /** For benchmarks and tests that drive the stores directly. */
    /** @return the group commit the sessions' writes and their events go through */
    public GroupCommit writer() {
        return writer;
    }

    public Database database() {
        return database;
    }

    /** For webhook subscriptions, which are made after the session service exists. */
    private boolean canAccessSession(io.wagateway.auth.Principal caller, String sessionId) {
        return sessions.canAccess(caller, sessionId);
    }

    /**
     * The webhook sink plugin reads its settings as any sink does ({@code gateway.sinks.webhook.*});
     * they are documented as {@code gateway.webhooks.*}, so that section fills in what the sink's
     * own section does not set.
     */
    private static PluginSettings withWebhookSettings(PluginSettings plugins, GatewaySettings.Webhooks webhooks) {
        Map<String, Map<String, String>> sinks = new LinkedHashMap<>(plugins.sinkConfig());
        Map<String, String> webhook = new LinkedHashMap<>();
        webhook.put("allow-private-targets", Boolean.toString(webhooks.allowPrivateTargets()));
        webhook.put("timeout", webhooks.timeout().toMillis() + "ms");
        webhook.put("max-concurrency", Integer.toString(webhooks.maxConcurrency()));
        webhook.putAll(plugins.sinkConfig("webhook"));
        sinks.put("webhook", webhook);
        return new PluginSettings(plugins.dir(), plugins.watch(), plugins.debounce(), plugins.startTimeout(),
                plugins.stopTimeout(), plugins.engineConfig(), sinks);
    }

    @Override
    public void close() {
        boolean wasRunning = !closeables.isEmpty();
        while (!closeables.isEmpty()) {
            try {
                closeables.pop().close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "Error while stopping the gateway", e);
            }
        }
        if (wasRunning) {
            LOG.info("Gateway stopped");
        }
    }

}
