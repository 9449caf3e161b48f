package io.wagateway.plugins.simulator;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * The QR strings of one linking attempt, shaped like WhatsApp's multi-device linking QR as Baileys
 * shows it: {@code 2@<ref>,<noiseKey>,<identityKey>,<advSecret>}, every part Base64.
 *
 * <p>As with WhatsApp, the ref changes with every QR while the three keys stay the same for the
 * whole attempt; a new attempt (a new instance) has new keys. The keys are random bytes, not real
 * Curve25519 keys: nothing ever does cryptography with them, they only have to look and vary right.
 *
 * <p>Threading: safe for use from any thread.
 */
final class QrCodes {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** WhatsApp's refs are about this long once Base64-encoded (32 characters). */
    static final int REF_BYTES = 24;

    /** Noise key, identity key and adv secret are 32 bytes each. */
    static final int KEY_BYTES = 32;

    private final String keys;

    private QrCodes(String keys) {
        this.keys = keys;
    }

    /** @return the QR codes of a new linking attempt, with fresh keys */
    static QrCodes newLinkingAttempt() {
        return new QrCodes(randomBase64(KEY_BYTES) + "," + randomBase64(KEY_BYTES) + "," + randomBase64(KEY_BYTES));
    }

    /** @return a QR string with a new ref and this attempt's keys */
    String next() {
        return "2@" + randomBase64(REF_BYTES) + "," + keys;
    }

    private static String randomBase64(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }
}
