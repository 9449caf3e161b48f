package io.wagateway.web;

import io.helidon.http.Status;
import io.wagateway.error.DomainException;
import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place where a domain refusal becomes something on a page: an HTTP status for the page
 * that shows it again, and the form field it belongs next to. Domain messages name their field
 * first ({@code 'name' must be ...}, or an engine's {@code displayName must be ...}), so the field is
 * read from there; a message that names none is shown above the form.
 */
final class Refusals {

    /** Where a refusal is shown when it names no field of the form. */
    static final String FORM = "_form";

    private static final Pattern QUOTED = Pattern.compile("^'([A-Za-z][A-Za-z0-9_-]*)'");
    private static final Pattern LEADING_WORD = Pattern.compile("^([A-Za-z][A-Za-z0-9_-]*)\\b");

    private Refusals() {
    }

    static Status status(DomainException e) {
        return switch (e) {
            case DomainException.Invalid x -> Status.BAD_REQUEST_400;
            case DomainException.Unauthorized x -> Status.UNAUTHORIZED_401;
            case DomainException.Forbidden x -> Status.FORBIDDEN_403;
            case DomainException.NotFound x -> Status.NOT_FOUND_404;
            case DomainException.Conflict x -> Status.CONFLICT_409;
            case DomainException.RateLimited x -> Status.TOO_MANY_REQUESTS_429;
        };
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
