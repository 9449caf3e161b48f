package io.wagateway.api;

/**
 * A transient plugin failure (network, a remote service briefly down): the host tries the same
 * operation again later, with capped exponential backoff.
 */
public class RetriableException extends PluginException {

    /** @param message what failed */
    public RetriableException(String message) {
        super(message);
    }

    /**
     * @param message what failed
     * @param cause   the underlying cause
     */
    public RetriableException(String message, Throwable cause) {
        super(message, cause);
    }
}
