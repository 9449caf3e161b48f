package io.wagateway.web;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.Context;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/**
 * Renders the web-ui module's Thymeleaf templates ({@code web/templates/*.html} on the class path),
 * standalone, without Spring. Templates escape every value they print ({@code th:text}); the only
 * unescaped output is the QR code's SVG, which the server draws itself.
 */
final class Pages {

    private final TemplateEngine engine = new TemplateEngine();

    Pages() {
        ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver(Pages.class.getClassLoader());
        resolver.setPrefix("web/templates/");
        resolver.setSuffix(".html");
        resolver.setTemplateMode(TemplateMode.HTML);
        resolver.setCharacterEncoding("UTF-8");
        resolver.setCacheable(true);
        engine.setTemplateResolver(resolver);
    }

    /** Renders {@code template} with the model and sends it. */
    void render(ServerResponse res, Status status, String template, Map<String, Object> model) {
        String html = engine.process(template, new Context(Locale.ENGLISH, model));
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "text/html; charset=UTF-8");
        res.send(html.getBytes(StandardCharsets.UTF_8));
    }

    /** A page with one message, for refusals (403, 404, ...). */
    void message(ServerResponse res, Status status, String title, String text, boolean signedIn) {
        Map<String, Object> model = new HashMap<>();
        model.put("title", title);
        model.put("text", text);
        model.put("signedIn", signedIn);
        render(res, status, "message", model);
    }

    /** {@code 303 See Other}: after a POST, the browser GETs the page (no resubmit on reload). */
    static void redirect(ServerResponse res, String location) {
        res.status(Status.SEE_OTHER_303);
        res.header(HeaderNames.LOCATION, location);
        res.send();
    }
}
