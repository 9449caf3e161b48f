package io.wagateway.plugins.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class QrCodesTest {

    static final Pattern QR_SHAPE = Pattern.compile("^2@[A-Za-z0-9+/=]+,[A-Za-z0-9+/=]+,[A-Za-z0-9+/=]+,[A-Za-z0-9+/=]+$");

    @Test
    void qrHasWhatsAppsShapeAndSizes() {
        String qr = QrCodes.newLinkingAttempt().next();

        assertTrue(QR_SHAPE.matcher(qr).matches(), qr);
        List<String> parts = List.of(qr.substring(2).split(","));
        assertEquals(QrCodes.REF_BYTES, Base64.getDecoder().decode(parts.get(0)).length, "ref");
        for (String key : parts.subList(1, 4)) {
            assertEquals(QrCodes.KEY_BYTES, Base64.getDecoder().decode(key).length, "key " + key);
        }
    }

    @Test
    void refChangesWhileKeysStayWithinOneAttempt() {
        QrCodes codes = QrCodes.newLinkingAttempt();
        String first = codes.next();
        String second = codes.next();

        assertNotEquals(ref(first), ref(second));
        assertEquals(keys(first), keys(second));
    }

    @Test
    void newAttemptHasNewKeys() {
        assertNotEquals(keys(QrCodes.newLinkingAttempt().next()), keys(QrCodes.newLinkingAttempt().next()));
    }

    static String ref(String qr) {
        return qr.substring(0, qr.indexOf(','));
    }

    static String keys(String qr) {
        return qr.substring(qr.indexOf(',') + 1);
    }
}
