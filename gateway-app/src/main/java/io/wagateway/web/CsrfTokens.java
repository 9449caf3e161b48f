package io.wagateway.web;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The web UI's CSRF tokens, stateless: an HMAC of what ties the form to this browser. Signed in,
 * that is the session token's id ({@code jti}), so every form of one sign-in shares a token and a
 * new sign-in gets a new one; signed out (the login form), a random pre-login cookie
 * ({@link BrowserCookies#PRE_LOGIN}). A page from another site can neither read the token nor
 * compute it, so its forged POST lacks it and gets {@code 403}.
 */
final class CsrfTokens {

    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    /** @param secret the gateway's token secret; the key is derived from it, so tokens survive a restart */
    CsrfTokens(byte[] secret) {
        this.key = new SecretKeySpec(hmac(new SecretKeySpec(secret, ALGORITHM), "admin-web-ui-csrf"), ALGORITHM);
    }

    /** The token of a signed-in browser. */
    String forSignedIn(String tokenId) {
        return encode(hmac(key, "session:" + tokenId));
    }

    /** The token of the login form, bound to the browser's pre-login cookie. */
    String forLogin(String preLoginCookie) {
        return encode(hmac(key, "login:" + preLoginCookie));
    }

    /** Compares in constant time; null or empty never matches. */
    static boolean matches(String expected, String given) {
        if (expected == null || given == null || given.isEmpty()) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }

    private static String encode(byte[] mac) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(mac);
    }

    private static byte[] hmac(SecretKeySpec key, String text) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
