package io.wagateway.auth;

import java.util.Locale;
import java.util.Optional;

/**
 * The one rule for user names and the one form they are compared in. Names are ASCII only, so the
 * lower-cased form is the same for every database collation: neither H2's case-sensitive
 * comparison nor MariaDB's case- and accent-insensitive one can make two spellings one user, or
 * one user two.
 */
final class Usernames {

    static final String RULE = "[A-Za-z0-9._-]{3,64}";
    static final String RULE_TEXT = "3-64 letters, digits, '.', '_' or '-'";

    private Usernames() {
    }

    /** @return the key a name is stored and looked up under, or empty when no user can have this name */
    static Optional<String> key(String typed) {
        return typed.matches(RULE) ? Optional.of(typed.toLowerCase(Locale.ROOT)) : Optional.empty();
    }
}
