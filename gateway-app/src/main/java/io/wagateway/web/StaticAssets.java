package io.wagateway.web;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The web-ui module's static files ({@code web/static/} on the class path), a fixed list read once:
 * nothing else can be asked for, so no path from a request ever reaches the class loader.
 */
final class StaticAssets {

    private static final Map<String, String> TYPES = Map.of(
            "app.css", "text/css; charset=UTF-8",
            "app.js", "text/javascript; charset=UTF-8",
            "favicon.svg", "image/svg+xml");

    private final Map<String, byte[]> files;

    StaticAssets() {
        java.util.HashMap<String, byte[]> loaded = new java.util.HashMap<>();
        TYPES.keySet().forEach(name -> loaded.put(name, read("web/static/" + name)));
        files = Map.copyOf(loaded);
    }

    void serve(ServerRequest req, ServerResponse res) {
        String name = req.path().pathParameters().get("name");
        byte[] content = files.get(name);
        if (content == null) {
            res.status(Status.NOT_FOUND_404).send();
            return;
        }
        res.header(HeaderNames.CONTENT_TYPE, TYPES.get(name));
        // Revalidated on each load: a new gateway version's assets are never mixed with old pages.
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        res.send(content);
    }

    private static byte[] read(String resource) {
        try (InputStream in = StaticAssets.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("The web-ui module's " + resource + " is not on the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
