package io.wagateway.http;

import io.helidon.http.Status;

/**
 * An error for an API caller, in the contract's shape {@code {error:{code, message}}}. Thrown
 * anywhere in request handling, mapped to a response once in {@link ErrorHandlers}.
 */
public final class ApiException extends RuntimeException {

    private final Status status;
    private final String code;

    public ApiException(Status status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public Status status() {
        return status;
    }

    public String code() {
        return code;
    }

    public static ApiException validation(String message) {
        return new ApiException(Status.BAD_REQUEST_400, "VALIDATION_ERROR", message);
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(Status.UNAUTHORIZED_401, "UNAUTHORIZED", message);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(Status.FORBIDDEN_403, "FORBIDDEN", message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(Status.NOT_FOUND_404, "NOT_FOUND", message);
    }

    public static ApiException conflict(String message) {
        return new ApiException(Status.CONFLICT_409, "CONFLICT", message);
    }

    public static ApiException timeout(String message) {
        return new ApiException(Status.REQUEST_TIMEOUT_408, "REQUEST_TIMEOUT", message);
    }

    public static ApiException tooLarge(String message) {
        return new ApiException(Status.REQUEST_ENTITY_TOO_LARGE_413, "PAYLOAD_TOO_LARGE", message);
    }
}
