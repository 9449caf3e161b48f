package io.wagateway.api;

import java.time.Duration;
import java.time.Instant;

/**
 * A session's handle on the host, handed to {@link WhatsAppEngine#open(EngineContext)}. The only way
 * an engine reports facts; it never touches the database, Socket.IO or HTTP itself.
 *
 * <p>Threading: every method may be called from any thread and returns quickly; the host
 * records and publishes the facts in the order it receives them. Facts reported after the session
 * was stopped are ignored.
 */
public interface EngineContext {

    /** @return the session's id, {@code {userId}-{slug}-{epochMillis}} */
    String sessionId();

    /** @return the engine's validated configuration */
    PluginConfig config();

    /**
     * @return the session's credential store: what the engine needs to reconnect without a new
     *         scan, kept by the host across restarts of the gateway
     */
    CredentialStore credentials();

    /**
     * A new QR code waits to be scanned. The session becomes {@code QR_REQUIRED}.
     *
     * @param qrCode    the raw QR string; the host renders it as an image (error correction M)
     * @param attempt   1 for the first QR code of this linking attempt, then counting up
     * @param expiresAt when this QR code stops being valid
     * @throws IllegalArgumentException when {@code qrCode} is null, empty or over 2,331 bytes of
     *         UTF-8 (what one QR code holds at error correction M); nothing changes
     * @throws NullPointerException when {@code expiresAt} is null
     */
    void qrCode(String qrCode, int attempt, Instant expiresAt);

    /**
     * The account is linked and online. The session becomes {@code CONNECTED}, and the messages
     * an earlier engine session never got are handed to {@link EngineSession#send} after it.
     * Reporting again while connected is allowed: with the same number and name it changes
     * nothing; with a new one, the session takes it (one status event). Either way the waiting
     * messages are handed over once per engine session, never again.
     *
     * @param phoneNumber the account's phone number in E.164 form, e.g. {@code +6281234567890}
     * @param displayName the account's WhatsApp display name
     */
    void connected(String phoneNumber, String displayName);

    /**
     * The connection ended without being asked to ({@link StatusReason#QR_TIMEOUT},
     * {@link StatusReason#LOGGED_OUT} from the phone, {@link StatusReason#CONNECTION_LOST},
     * {@link StatusReason#REPLACED}). With {@code LOGGED_OUT} the host deletes the stored
     * credentials; with {@code CONNECTION_LOST} it reconnects with backoff; with {@code REPLACED}
     * (the account was opened elsewhere) it keeps the credentials and does not reconnect.
     *
     * @param reason why
     * @throws IllegalArgumentException for {@link StatusReason#DELETED}, the host's own reason
     */
    void disconnected(StatusReason reason);

    /**
     * The engine failed. The session goes to {@code ERROR}/{@code ENGINE_FAILED}; the host retries
     * with capped exponential backoff.
     *
     * @param message what went wrong, for people (no secrets)
     * @param cause   the cause, or null
     */
    void failed(String message, Throwable cause);

    /**
     * An outgoing message's status changed. Statuses only move forward (see
     * {@link MessageStatus#canMoveTo(MessageStatus)}); a report that would move one back is ignored.
     *
     * @param messageId the id from {@link OutgoingMessage#messageId()}
     * @param status    the new status
     * @param error     why, for {@code FAILED}; otherwise null
     */
    void messageStatus(String messageId, MessageStatus status, String error);

    /**
     * A message arrived for the session's account. The host stores it, then publishes it as
     * {@link MessageReceived} ({@code message_received}) to the session's Socket.IO room and to
     * every {@link EventSink}, in order with the session's other events. A message whose
     * {@link InboundMessage#messageId()} the session already has is ignored, so an engine may report
     * a message again (after a reconnect) without it being published twice.
     *
     * <p>Since API 1.1.0. The default does nothing, so contexts written for 1.0.0 (an engine's own
     * test context) still compile; the host's context implements it. An engine that calls it needs
     * a host of API 1.1.0 or later: declare {@code Plugin-Requires: >=1.1.0 & <2.0.0}.
     *
     * @param message the message
     */
    default void messageReceived(InboundMessage message) {
    }

    /**
     * How long the host waits for each of its calls into this engine session
     * ({@link WhatsAppEngine#open(EngineContext)} and every {@link EngineSession} method), counted from
     * when the call begins: the host's {@code gateway.sessions.engine-call-timeout}. Past it the host
     * gives up on the call and on the engine session: the session goes to {@code ERROR} /
     * {@code ENGINE_FAILED} and is started again with backoff, and whatever the call returns or
     * reports later is ignored (a {@link EngineSession#stop()} or {@link EngineSession#logout()} past
     * it is abandoned instead, and the engine's credential writes are refused from then on). An engine
     * that waits on something slow should bound that wait below this deadline, with a margin, and
     * answer by itself: an {@link ActionException} from an action, a {@link RetriableException} from
     * a start.
     *
     * <p>Since API 1.3.0. The default answers 10 seconds, the host's default deadline, so contexts
     * written for earlier versions (an engine's own test context) still compile; the host's context
     * answers the deadline it is configured with. An engine that calls it needs a host of API 1.3.0
     * or later: declare {@code Plugin-Requires: >=1.3.0 & <2.0.0}.
     *
     * @return the deadline of each call into the engine, longer than zero
     */
    default Duration callTimeout() {
        return Duration.ofSeconds(10);
    }
}
