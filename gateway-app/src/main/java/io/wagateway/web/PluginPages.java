package io.wagateway.web;

import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.wagateway.plugin.PluginHost;
import io.wagateway.plugin.PluginRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * {@code /plugins}: what each jar in the plugins directory became (id, version, state, extensions,
 * last error; never any configuration value, so secrets cannot show), an upload that puts a jar
 * into the directory, and the removal of one. The plugin host's directory watcher does the
 * loading and unloading, as for a jar copied in by hand; the page waits a bounded while for it so
 * the admin sees the outcome.
 */
final class PluginPages {

    private static final Logger LOG = Logger.getLogger(PluginPages.class.getName());
    static final String UPLOAD = "upload";
    private static final Pattern JAR_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,120}\\.jar");
    private static final Map<String, String> NOTICES = Map.of(
            "uploaded", "Jar uploaded; see its state below.",
            "pending", "Jar uploaded; the plugin host has not picked it up yet: reload in a moment.",
            "removed", "Jar removed; its plugin is unloaded.");

    private final PluginHost host;
    private final Path dir;
    private final Duration patience;
    private final Pages pages;
    private final InstantSource clock;

    /** @param patience how long an upload or removal waits for the plugin host to act on it */
    PluginPages(PluginHost host, Path dir, Duration patience, Pages pages, InstantSource clock) {
        this.host = host;
        this.dir = dir.toAbsolutePath().normalize();
        this.patience = patience;
        this.pages = pages;
        this.clock = clock;
    }

    void list(ServerRequest req, ServerResponse res) {
        Browser browser = WebUi.browser(req);
        PageModel model = PageModel.of(browser, "Plugins", "plugins");
        req.query().first("done").map(NOTICES::get).ifPresent(model::notice);
        render(res, model, Status.OK_200);
    }

    private void render(ServerResponse res, PageModel model, Status status) {
        model.put("plugins", host.plugins().stream().map(Views::plugin).toList())
                .put("dir", dir.getFileName() == null ? dir.toString() : dir.getFileName().toString());
        pages.render(res, status, "plugins", model.asMap());
    }

    void upload(ServerRequest req, ServerResponse res) {
        Browser browser = WebUi.browser(req);
        PageModel model = PageModel.of(browser, "Plugins", "plugins");
        Form.Upload jar = browser.form().files().get("jar");
        String problem = jar == null || jar.fileName().isEmpty() ? "Choose a plugin jar to upload."
                : !JAR_NAME.matcher(jar.fileName()).matches()
                ? "The file name must end in .jar and use only letters, digits, '.', '_' and '-'."
                : !isZip(jar.content()) ? "That file is not a jar (a jar is a zip file)." : null;
        if (problem != null) {
            model.error(UPLOAD, "jar", problem);
            render(res, model, Status.BAD_REQUEST_400);
            return;
        }
        Instant before = clock.instant();
        Path target = dir.resolve(jar.fileName());
        Path part = null;
        try {
            // Written under a name the watcher ignores (not *.jar), unique so that two uploads of one
            // name never write one file, then moved in whole: the watcher never reads half a jar.
            part = dir.resolve("." + jar.fileName() + "." + UUID.randomUUID() + ".upload");
            Files.write(part, jar.content(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            deleteQuietly(part);
            throw new UncheckedIOException("Cannot write the uploaded jar into " + dir, e);
        }
        LOG.info(() -> "Plugin jar uploaded through the admin UI: " + jar.fileName() + " (" + jar.content().length + " bytes)");
        boolean settled = await(() -> record(jar.fileName()).filter(r -> !r.updatedAt().isBefore(before)).isPresent());
        Pages.redirect(res, "/plugins?done=" + (settled ? "uploaded" : "pending"));
    }

    void remove(ServerRequest req, ServerResponse res) {
        Browser browser = WebUi.browser(req);
        String file = browser.form().raw("file");
        Path target = dir.resolve(file).normalize();
        if (!JAR_NAME.matcher(file).matches() || !target.getParent().equals(dir) || !Files.isRegularFile(target)) {
            PageModel model = PageModel.of(browser, "Plugins", "plugins");
            model.error("remove", Refusals.FORM, "There is no jar '" + file + "' in the plugins directory.");
            render(res, model, Status.NOT_FOUND_404);
            return;
        }
        try {
            Files.delete(target);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot remove " + target, e);
        }
        LOG.info(() -> "Plugin jar removed through the admin UI: " + file);
        await(() -> record(file).isEmpty());
        Pages.redirect(res, "/plugins?done=removed");
    }

    private Optional<PluginRecord> record(String file) {
        return host.plugins().stream().filter(r -> r.file().equals(file)).findFirst();
    }

    /** Checks every 50 ms until the condition holds or the patience is used up (on the request's virtual thread). */
    private boolean await(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private static void deleteQuietly(Path part) {
        if (part != null) {
            try {
                Files.deleteIfExists(part);
            } catch (IOException e) {
                LOG.warning(() -> "Cannot remove the partial upload " + part + ": " + e.getMessage());
            }
        }
    }

    private static boolean isZip(byte[] content) {
        return content.length > 4 && content[0] == 'P' && content[1] == 'K' && content[2] == 3 && content[3] == 4;
    }
}
