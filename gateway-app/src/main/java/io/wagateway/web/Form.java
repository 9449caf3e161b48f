package io.wagateway.web;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A posted form: its text fields (first value per name, what a browser sends for our forms) and,
 * for a multipart upload, its files. Read once by {@link WebGuard}, which checks the {@code _csrf}
 * field before any handler sees the form.
 *
 * @param fields the text fields by name
 * @param files  the uploaded files by field name (multipart only)
 */
record Form(Map<String, String> fields, Map<String, Upload> files) {

    /** The CSRF field every POST form carries. */
    static final String CSRF = "_csrf";

    Form {
        fields = Map.copyOf(fields);
        files = Map.copyOf(files);
    }

    /** An uploaded file: the name the browser gave it and its bytes. */
    record Upload(String fileName, byte[] content) {
    }

    /** Parses {@code application/x-www-form-urlencoded}; a malformed escape is kept as typed. */
    static Form urlEncoded(String body) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            fields.putIfAbsent(name, value);
        }
        return new Form(fields, Map.of());
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }

    /** @return the field's value, stripped of surrounding blanks; empty when missing or blank */
    Optional<String> text(String name) {
        String value = fields.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    /** @return the field as typed (for showing it again), never null */
    String raw(String name) {
        return fields.getOrDefault(name, "");
    }

    /** The fields whose names start with {@code prefix}, prefix removed, in form order. */
    Map<String, String> withPrefix(String prefix) {
        Map<String, String> result = new LinkedHashMap<>();
        fields.forEach((name, value) -> {
            if (name.startsWith(prefix) && name.length() > prefix.length()) {
                result.put(name.substring(prefix.length()), value);
            }
        });
        return result;
    }

    static Form empty() {
        return new Form(Map.of(), Map.of());
    }

    /** @return the names of the fields, for tests */
    List<String> names() {
        return List.copyOf(fields.keySet());
    }
}
