package io.wagateway.plugin;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.wagateway.auth.Caller;
import io.wagateway.http.ApiException;
import io.wagateway.http.Json;
import java.util.Objects;

/**
 * The plugins page of the admin API, mounted at {@code /api/plugins}: what each jar in the plugins
 * directory became, with its extensions and last error. Administrators only.
 */
public final class PluginsHttpService implements HttpService {

    private final PluginHost host;

    /** @param host the plugin host whose records are shown */
    public PluginsHttpService(PluginHost host) {
        this.host = Objects.requireNonNull(host, "host");
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .get("/{id}", this::one);
    }

    private void list(ServerRequest req, ServerResponse res) {
        Caller.admin(req);
        Json.send(res, Status.OK_200, host.plugins());
    }

    private void one(ServerRequest req, ServerResponse res) {
        Caller.admin(req);
        String id = req.path().pathParameters().get("id");
        PluginRecord record = host.plugin(id)
                .orElseThrow(() -> ApiException.notFound("No plugin '" + id + "'"));
        Json.send(res, Status.OK_200, record);
    }
}
