package io.wagateway.plugins.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Standard Webhooks signature: {@code v1,} + base64 of HMAC-SHA256 over
 * {@code "{webhook-id}.{webhook-timestamp}.{body}"}, keyed with the secret's bytes (the base64 after
 * {@code whsec_}).
 */
final class Signatures {

    private static final String PREFIX = "whsec_";

    private Signatures() {
    }

    /**
     * @param secret    {@code whsec_} + base64
     * @param id        the webhook-id (the event id)
     * @param timestamp the webhook-timestamp (unix seconds)
     * @param body      the exact body sent
     * @return the webhook-signature header's value
     */
    static String sign(String secret, String id, long timestamp, String body) {
        if (secret == null || !secret.startsWith(PREFIX)) {
            throw new IllegalArgumentException("A webhook secret starts with " + PREFIX);
        }
        byte[] key = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] digest = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
