package io.wagateway;

import io.helidon.http.Method;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRoute;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * {@link HttpRules} that only write down "METHOD /path" for each route an {@link HttpService}
 * declares, the mount point prefixed. A form of declaration it cannot read (a route built by hand,
 * a route without a path, {@code any}) fails the test instead of going unlisted.
 */
final class RecordingRules implements HttpRules {

    private final String prefix;
    private final Set<String> routes;

    private RecordingRules(String prefix, Set<String> routes) {
        this.prefix = prefix;
        this.routes = routes;
    }

    /** @return "METHOD /path" of every route the service declares under {@code mount} */
    static Set<String> of(String mount, HttpService service) {
        Set<String> routes = new LinkedHashSet<>();
        service.routing(new RecordingRules(mount, routes));
        return routes;
    }

    private HttpRules add(Method method, String pattern) {
        String path = (prefix + pattern).replaceAll("/+$", "");
        routes.add(method.text() + " " + (path.isEmpty() ? "/" : path));
        return this;
    }

    @Override
    public HttpRules register(HttpService... services) {
        for (HttpService service : services) {
            service.routing(this);
        }
        return this;
    }

    @Override
    public HttpRules register(String pathPattern, HttpService... services) {
        for (HttpService service : services) {
            service.routing(new RecordingRules(prefix + pathPattern, routes));
        }
        return this;
    }

    @Override
    public HttpRules route(HttpRoute route) {
        throw new AssertionError("A route declared as an HttpRoute under " + prefix
                + " cannot be listed: declare it with get/post/... and a path, or teach RecordingRules");
    }

    /** Where get/post/put/delete/patch/... with a path end up (Helidon's defaults delegate here). */
    @Override
    public HttpRules route(Method method, String pathPattern, Handler handler) {
        return add(method, pathPattern);
    }
}
