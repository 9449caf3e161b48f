package io.wagateway.plugins.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The signature matches the Standard Webhooks specification's published example. */
class SignaturesTest {

    @Test
    void matchesTheSpecificationsExample() {
        // From the Standard Webhooks specification (and the reference libraries' tests).
        String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        String id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
        long timestamp = 1614265330;
        String body = "{\"test\": 2432232314}";
        assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", Signatures.sign(secret, id, timestamp, body));
    }

    @Test
    void refusesASecretWithoutItsPrefix() {
        assertThrows(IllegalArgumentException.class, () -> Signatures.sign("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "i", 1, "{}"));
    }
}
