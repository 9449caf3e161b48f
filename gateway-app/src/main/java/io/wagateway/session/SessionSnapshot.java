package io.wagateway.session;

import io.wagateway.api.QrCodeUpdated;
import io.wagateway.api.SessionStatusChanged;
import java.util.Optional;

/**
 * A session's current state as the events a late joiner needs: its status and, while linking,
 * the pending QR code.
 */
public record SessionSnapshot(SessionStatusChanged status, Optional<QrCodeUpdated> pendingQr) {
}
