package io.wagateway.api;

/**
 * A targeted sink's destination says it wants no more deliveries (a webhook answered
 * {@code 410 Gone}): the host marks this delivery dead and disables the target (the webhook
 * subscription), so nothing more is sent to it until someone enables it again. Fatal, never
 * retried. Since API 1.2.0.
 */
public class TargetGoneException extends PluginException {

    /** @param message what the destination answered, without secrets */
    public TargetGoneException(String message) {
        super(message);
    }
}
