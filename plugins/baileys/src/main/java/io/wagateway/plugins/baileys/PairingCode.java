package io.wagateway.plugins.baileys;

import io.wagateway.api.ActionException;
import io.wagateway.api.ActionException.Kind;
import java.time.Duration;
import java.util.Map;

/**
 * The {@code pair} action's request to the worker: a pairing code to type on the phone instead of
 * scanning the QR code. Whether the session may pair now is the session's to decide, before this.
 */
final class PairingCode {

    private PairingCode() {
    }

    /**
     * @param supervisor whose current worker runs the session
     * @param sessionId  the session
     * @param params     the action's parameters, {@code {phoneNumber}}
     * @param timeout    how long the worker may take
     * @return {@code {code}}
     * @throws ActionException when the phone number is not in E.164 form, the worker is restarting,
     *                         or WhatsApp gave no code
     */
    static Map<String, Object> request(WorkerSupervisor supervisor, String sessionId, Map<String, Object> params, Duration timeout) {
        if (!(params.get("phoneNumber") instanceof String phone) || !SessionEvents.E164.matcher(phone).matches()) {
            throw new ActionException(Kind.INVALID_PARAMS,
                    "phoneNumber must be a string with a phone number in E.164 form, e.g. +6281234567890");
        }
        Worker worker = supervisor.current();
        if (worker == null) {
            throw new ActionException(Kind.NOT_ALLOWED_NOW, "Cannot pair now: the worker is restarting");
        }
        try {
            Map<String, Object> reply = worker.callAndWait(Map.of("type", "pair", "sessionId", sessionId, "phoneNumber", phone),
                    timeout);
            if (reply.get("code") instanceof String code && !code.isBlank()) {
                return Map.of("code", code);
            }
            throw new ActionException(Kind.NOT_ALLOWED_NOW, "WhatsApp gave no pairing code");
        } catch (WorkerException e) {
            throw new ActionException(Kind.NOT_ALLOWED_NOW, "Could not get a pairing code: " + e.getMessage());
        }
    }
}
