package io.wagateway.session;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The bound engines are held to is one every QR string within it renders at. */
class QrImagesTest {

    @Test
    void everyStringWithinTheBoundRendersAndOneByteMoreIsRefused() {
        // Bytes that take byte mode whatever the encoder picks, the mode with the least room.
        String most = "é".repeat(QrImages.MAX_BYTES / 2) + "x".repeat(QrImages.MAX_BYTES % 2);
        assertTrue(QrImages.fits(most));
        assertTrue(QrImages.svg(most).startsWith("<?xml"));
        assertTrue(QrImages.png(most).length > 0);
        assertFalse(QrImages.fits(most + "x"));
    }
}
