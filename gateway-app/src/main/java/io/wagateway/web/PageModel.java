package io.wagateway.web;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The model of one page: what every page's layout needs (the admin's name, the CSRF token for its
 * forms, the active navigation entry, a notice after an action), plus the page's own values and,
 * after a refused form, what was typed and the error next to each field.
 */
final class PageModel {

    private final Map<String, Object> values = new HashMap<>();
    private final Map<String, String> typed = new LinkedHashMap<>();
    private final Map<String, String> errors = new LinkedHashMap<>();

    private PageModel() {
    }

    static PageModel of(Browser browser, String title, String nav) {
        PageModel model = new PageModel();
        model.values.put("csrf", browser.csrf());
        model.values.put("admin", browser.admin().map(p -> p.username()).orElse(null));
        model.values.put("title", title);
        model.values.put("nav", nav);
        model.values.put("typed", model.typed);
        model.values.put("errors", model.errors);
        return model;
    }

    PageModel put(String key, Object value) {
        values.put(key, value);
        return this;
    }

    /** Shows a form again after a refusal: its values as typed, keyed {@code form.field}. */
    PageModel typed(String form, Form posted) {
        posted.fields().forEach((field, value) -> {
            if (!field.equals(Form.CSRF) && !field.toLowerCase(java.util.Locale.ROOT).contains("password")) {
                typed.put(form + "." + field, value);
            }
        });
        return this;
    }

    /** An error shown next to {@code form.field} (or above the form when the field is {@code _form}). */
    PageModel error(String form, String field, String message) {
        errors.put(form + "." + field, message);
        return this;
    }

    PageModel notice(String text) {
        values.put("notice", text);
        return this;
    }

    Map<String, Object> asMap() {
        return values;
    }
}
