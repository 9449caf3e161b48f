package io.wagateway.plugins.baileys;

import io.wagateway.api.EngineContext;
import io.wagateway.api.MessageStatus;
import io.wagateway.api.StatusReason;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Reads one session's worker events and turns them into what its {@link BaileysSession} reports:
 * <ul>
 *   <li>{@code qr} → a QR code, the raw string untouched, with its attempt and expiry (60 s for the
 *       first code, 20 s for each later one, as Baileys shows them);</li>
 *   <li>{@code connection open} → connected, with {@code +<digits>} of the account's phone-number
 *       jid (never a LID) and its name;</li>
 *   <li>{@code connection close} → disconnected, by the worker's reason ({@link #reasonFor});</li>
 *   <li>{@code creds} and {@code keys} → credential writes;</li>
 *   <li>{@code message-status} receipts → {@code DELIVERED}, {@code READ}, or {@code FAILED}, for
 *       the messages this session sent (their Baileys ids are kept here, see {@link #sent});</li>
 *   <li>{@code message-in} → an {@link io.wagateway.api.InboundMessage} for the host ({@link MessageIn}).</li>
 * </ul>
 * Malformed events are logged and skipped. What the session's state allows stays the session's:
 * this class only parses and hands on.
 */
final class SessionEvents {

    /** The session's logger: these lines are the session's. */
    private static final Logger LOG = Logger.getLogger(BaileysSession.class.getName());
    /** A phone number as the host takes it. */
    static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{4,19}");
    /** How many sent messages' Baileys ids are remembered for their receipts. */
    static final int MAX_TRACKED_MESSAGES = 10_000;

    private final BaileysSession session;
    private final EngineContext context;
    private final String sessionId;
    /** Baileys' message id → ours, for receipts; oldest forgotten first. */
    private final Map<String, String> sentIds = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > MAX_TRACKED_MESSAGES;
        }
    });

    SessionEvents(BaileysSession session, EngineContext context) {
        this.session = session;
        this.context = context;
        this.sessionId = context.sessionId();
    }

    /** Remembers a sent message's Baileys id, so its receipts find our id. */
    void sent(String waMessageId, String messageId) {
        sentIds.put(waMessageId, messageId);
    }

    /** One worker event, on the session's serial thread. Package-private for the tests of its mapping. */
    void handle(Map<String, Object> event) {
        String type = String.valueOf(event.get("type"));
        switch (type) {
            case "creds" -> {
                if (event.get("creds") instanceof String creds) {
                    session.store(() -> BaileysCredentials.saveCreds(context.credentials(), creds));
                }
            }
            case "keys" -> {
                if (event.get("set") instanceof List<?> set) {
                    session.store(() -> BaileysCredentials.saveKeys(context.credentials(), set));
                }
            }
            case "qr" -> qr(event);
            case "connection" -> connection(event);
            case "message-status" -> messageStatus(event);
            case "message-in" -> messageIn(event);
            default -> LOG.fine(() -> "Baileys session " + sessionId + ": ignored a '" + type + "' event");
        }
    }

    private void qr(Map<String, Object> event) {
        if (!(event.get("qr") instanceof String qr) || qr.isEmpty()) {
            LOG.warning("Baileys session " + sessionId + ": skipped a qr event without a code");
            return;
        }
        int attempt = event.get("attempt") instanceof Long a && a >= 1 && a <= Integer.MAX_VALUE ? a.intValue() : 1;
        Instant expiresAt = event.get("expiresAt") instanceof Long at ? Instant.ofEpochMilli(at)
                : Instant.now().plusMillis(attempt == 1 ? 60_000 : 20_000);
        session.linking(qr, attempt, expiresAt);
    }

    private void connection(Map<String, Object> event) {
        switch (String.valueOf(event.get("state"))) {
            case "open" -> {
                String phone = event.get("phoneNumber") instanceof String p && E164.matcher(p).matches() ? p : null;
                String name = event.get("displayName") instanceof String n && !n.isBlank() ? n : null;
                session.opened(phone, name);
            }
            case "close" -> {
                StatusReason reason = reasonFor(String.valueOf(event.get("reason")));
                LOG.info("Baileys session " + sessionId + " closed by WhatsApp (" + event.get("statusCode") + ", "
                        + event.get("error") + "): " + reason);
                session.closed(reason);
            }
            default -> {
                // "connecting": the host already shows CONNECTING.
            }
        }
    }

    /**
     * {@code LOGGED_OUT} (401), {@code QR_TIMEOUT} (408 after the last QR code) and {@code REPLACED}
     * (440, another client took over the credentials) are reported as such; anything else is a lost
     * connection, after which the host reconnects with its backoff. A 515 (restart required, normal
     * right after a scan) never reaches here: the worker reconnects at once.
     *
     * @param workerReason the worker's reason for a close
     * @return what to report
     */
    static StatusReason reasonFor(String workerReason) {
        return switch (workerReason == null ? "" : workerReason) {
            case "LOGGED_OUT" -> StatusReason.LOGGED_OUT;
            case "QR_TIMEOUT" -> StatusReason.QR_TIMEOUT;
            case "REPLACED" -> StatusReason.REPLACED;
            default -> StatusReason.CONNECTION_LOST;
        };
    }

    private void messageStatus(Map<String, Object> event) {
        if (!(event.get("waMessageId") instanceof String waId)) {
            return;
        }
        String id = sentIds.get(waId);
        if (id == null) {
            LOG.fine(() -> "Baileys session " + sessionId + ": receipt for a message not sent by this session: " + waId);
            return;
        }
        MessageStatus status;
        try {
            status = MessageStatus.valueOf(String.valueOf(event.get("status")));
        } catch (IllegalArgumentException e) {
            LOG.warning("Baileys session " + sessionId + ": skipped a receipt with status " + event.get("status"));
            return;
        }
        // SENT is reported when the send call resolves; the server-ack receipt that follows says it again.
        if (status == MessageStatus.PENDING || status == MessageStatus.SENT) {
            return;
        }
        String error = status == MessageStatus.FAILED
                ? (event.get("error") instanceof String s && !s.isBlank() ? s : "WhatsApp reported a delivery error") : null;
        session.report(() -> context.messageStatus(id, status, error));
    }

    private void messageIn(Map<String, Object> event) {
        io.wagateway.api.InboundMessage message;
        try {
            message = MessageIn.parse(event);
        } catch (IllegalArgumentException e) {
            LOG.warning("Baileys session " + sessionId + ": skipped an incoming message: " + e.getMessage());
            return;
        }
        session.report(() -> context.messageReceived(message));
    }
}
