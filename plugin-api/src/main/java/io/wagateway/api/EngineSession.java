package io.wagateway.api;

import java.util.Map;

/**
 * One session's connection inside an engine, created by {@link WhatsAppEngine#open(EngineContext)}.
 *
 * <p>Threading: the host calls these methods one at a time for a given session (never
 * concurrently), each on a platform thread of the host's (not the thread of the REST request that
 * caused it). Each call has a deadline, {@link EngineContext#callTimeout()}: a method may block,
 * but must return within it, or the host fails the session ({@code ERROR}/{@code ENGINE_FAILED})
 * and starts it again later. The engine reports what happens afterwards through its
 * {@link EngineContext}, from any thread; those calls never block on the host's work, so a method
 * here may wait for the engine's own threads.
 *
 * <p>Order: {@link #start()} once; then any number of {@link #send(OutgoingMessage)} and
 * {@link #action(String, Map)} calls; finally exactly one of {@link #stop()} or {@link #logout()}.
 * After that the instance is discarded; a later start opens a new one.
 */
public interface EngineSession {

    /**
     * Starts connecting. With stored credentials ({@link EngineContext#credentials()}) the engine
     * reconnects and reports {@link EngineContext#connected(String, String)}; without them it
     * reports QR codes with {@link EngineContext#qrCode(String, int, java.time.Instant)} until one is
     * scanned or it gives up with {@link EngineContext#disconnected(StatusReason)}.
     *
     * @throws PluginException when starting fails; a {@link RetriableException} makes the host retry
     */
    void start();

    /**
     * Closes the connection and keeps the credentials, so the next start needs no scan. The host
     * records {@code DISCONNECTED}/{@code STOPPED} itself; the engine need not report it.
     */
    void stop();

    /**
     * Unlinks the account from WhatsApp where possible and closes the connection. The host deletes
     * the stored credentials afterwards and records {@code DISCONNECTED}/{@code LOGGED_OUT}.
     */
    void logout();

    /**
     * Sends a text message. Called only while the session is {@code CONNECTED}. Must not wait for
     * delivery: report {@code SENT}, {@code DELIVERED}, {@code READ} or {@code FAILED} later with
     * {@link EngineContext#messageStatus(String, MessageStatus, String)}.
     *
     * @param message what to send
     * @throws PluginException when the message cannot even be handed over; the host marks it {@code FAILED}
     */
    void send(OutgoingMessage message);

    /**
     * An engine-specific control, from {@code POST /api/sessions/{id}/actions/{action}}. Optional:
     * by default every action is unknown.
     *
     * @param action the action's name from the URL
     * @param params the request's JSON body as plain Java values (maps, lists, strings, numbers,
     *               booleans); empty when there was no body
     * @return a result to return to the caller as JSON (plain Java values); may be empty
     * @throws ActionException when the action is unknown, its parameters are wrong, or it is not
     *                         possible in the session's current state
     */
    default Map<String, Object> action(String action, Map<String, Object> params) {
        throw new ActionException(ActionException.Kind.UNKNOWN_ACTION, "Unknown action: " + action);
    }
}
