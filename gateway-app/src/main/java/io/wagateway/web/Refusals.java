package io.wagateway.web;

import io.wagateway.error.DomainException;
import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a domain refusal is shown on a page: next to the form field it is about. Domain messages
 * name their field first ({@code 'name' must be ...}, or an engine's {@code displayName must be
 * ...}), so the field is read from there; a message that names none is shown above the form. The
 * page's HTTP status is REST's for the same refusal ({@code ErrorHandlers.statusOf}).
 */
final class Refusals {

    /** Where a refusal is shown when it names no field of the form. */
    static final String FORM = "_form";

    private static final Pattern QUOTED = Pattern.compile("^'([A-Za-z][A-Za-z0-9_-]*)'");
    private static final Pattern LEADING_WORD = Pattern.compile("^([A-Za-z][A-Za-z0-9_-]*)\\b");

    private Refusals() {
    }

    /** @return the field of {@code fields} the message is about, else {@link #FORM} */
    static String field(DomainException e, Collection<String> fields) {
        for (Pattern p : new Pattern[] {QUOTED, LEADING_WORD}) {
            Matcher m = p.matcher(e.getMessage());
            if (m.find() && fields.contains(m.group(1))) {
                return m.group(1);
            }
        }
        return FORM;
    }
}
