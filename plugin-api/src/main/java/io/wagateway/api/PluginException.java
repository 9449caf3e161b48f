package io.wagateway.api;

/**
 * A plugin failure the host should not retry: the operation failed for good. The message is shown
 * to administrators (never to API callers), so say what failed and with which input, without secrets.
 */
public class PluginException extends RuntimeException {

    /** @param message what failed */
    public PluginException(String message) {
        super(message);
    }

    /**
     * @param message what failed
     * @param cause   the underlying cause
     */
    public PluginException(String message, Throwable cause) {
        super(message, cause);
    }
}
