package io.wagateway.session;

import java.text.Normalizer;
import java.util.Locale;

/** {@code sessionId = {userId}-{slug(name)}-{epochMillis}}, the contract's form. */
public final class SessionIds {

    static final int MAX_SLUG = 40;

    private SessionIds() {
    }

    public static String create(String userId, String name, long epochMillis) {
        String slug = slug(name);
        return userId + "-" + (slug.isEmpty() ? "session" : slug) + "-" + epochMillis;
    }

    /**
     * Lower case; every run of characters other than {@code a-z0-9} becomes one {@code -};
     * trimmed of {@code -}; at most 40 characters (and trimmed again after cutting).
     */
    public static String slug(String name) {
        // Accented letters keep their base letter (é -> e) rather than becoming a dash.
        String ascii = Normalizer.normalize(name, Normalizer.Form.NFKD).replaceAll("\\p{M}+", "");
        String slug = ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (slug.length() > MAX_SLUG) {
            slug = slug.substring(0, MAX_SLUG).replaceAll("-+$", "");
        }
        return slug;
    }
}
