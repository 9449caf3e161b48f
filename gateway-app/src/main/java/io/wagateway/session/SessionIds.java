package io.wagateway.session;

import java.util.Locale;

/** {@code sessionId = {userId}-{slug(name)}-{epochMillis}}, the contract's form. */
public final class SessionIds {

    static final int MAX_SLUG = 40;

    private SessionIds() {
    }

    public static String create(String userId, String name, long epochMillis) {
        return userId + "-" + slug(name) + "-" + epochMillis;
    }

    /**
     * The contract's slug, exactly: lower case; every run of characters other than {@code a-z0-9}
     * (accented and non-Latin letters too) becomes one {@code -}; trimmed of {@code -}; at most 40
     * characters (and trimmed again after cutting). A name without any of {@code a-z0-9} gives an
     * empty slug, so the id has two dashes in a row: unique all the same, by the user and the millisecond.
     */
    public static String slug(String name) {
        String slug = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (slug.length() > MAX_SLUG) {
            slug = slug.substring(0, MAX_SLUG).replaceAll("-+$", "");
        }
        return slug;
    }
}
