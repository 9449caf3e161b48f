package io.wagateway.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.wagateway.error.DomainException;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Maps every exception to the contract's error shape, once for the whole routing. Callers never
 * see a stack trace or a SQL message: unexpected failures are logged here and answered with a
 * plain {@code 500 INTERNAL_ERROR}.
 */
public final class ErrorHandlers {

    private static final Logger LOG = Logger.getLogger(ErrorHandlers.class.getName());

    private ErrorHandlers() {
    }

    public static void register(HttpRouting.Builder routing) {
        routing.error(ApiException.class, (req, res, e) -> {
                    if (e.status().code() == 408 || e.status().code() == 413) {
                        // The rest of the body is not read: the connection cannot carry another request.
                        res.header(HeaderNames.CONNECTION, "close");
                    }
                    send(res, e.status(), e.code(), e.getMessage());
                })
                .error(DomainException.class, (req, res, e) -> {
                    if (e instanceof DomainException.RateLimited limited) {
                        res.header(HeaderNames.RETRY_AFTER, Long.toString(Math.max(1, limited.retryAfter().toSeconds())));
                    }
                    Status status = statusOf(e);
                    send(res, status, codeFor(status), e.getMessage());
                })
                .error(HttpException.class, (req, res, e) -> {
                    Status status = e.status();
                    String code = codeFor(status);
                    // Helidon's own messages for client errors are safe and helpful; server ones are not shown.
                    send(res, status, code, status.code() < 500 ? e.getMessage() : "Internal error");
                })
                .error(Throwable.class, (req, res, e) -> {
                    LOG.log(Level.SEVERE, "Unhandled error on " + req.prologue().method().text() + " "
                            + req.prologue().uriPath().rawPath(), e);
                    send(res, Status.INTERNAL_SERVER_ERROR_500, "INTERNAL_ERROR", "Internal error");
                });
    }

    public static void send(io.helidon.webserver.http.ServerResponse res, Status status, String code, String message) {
        if (res.isSent()) {
            return;
        }
        Json.send(res, status, errorBody(code, message == null ? code : message));
    }

    /** The contract's error shape, {@code {error:{code, message}}}, for every writer of an error. */
    static Map<String, Object> errorBody(String code, String message) {
        return Map.of("error", Map.of("code", code, "message", message));
    }

    /** The one place where a domain refusal becomes an HTTP status (REST's error JSON and the web UI's pages). */
    public static Status statusOf(DomainException e) {
        return switch (e) {
            case DomainException.Invalid x -> Status.BAD_REQUEST_400;
            case DomainException.Unauthorized x -> Status.UNAUTHORIZED_401;
            case DomainException.Forbidden x -> Status.FORBIDDEN_403;
            case DomainException.NotFound x -> Status.NOT_FOUND_404;
            case DomainException.Conflict x -> Status.CONFLICT_409;
            case DomainException.RateLimited x -> Status.TOO_MANY_REQUESTS_429;
        };
    }

    static String codeFor(Status status) {
        return switch (status.code()) {
            case 400 -> "VALIDATION_ERROR";
            case 401 -> "UNAUTHORIZED";
            case 403 -> "FORBIDDEN";
            case 404 -> "NOT_FOUND";
            case 405 -> "METHOD_NOT_ALLOWED";
            case 408 -> "REQUEST_TIMEOUT";
            case 409 -> "CONFLICT";
            case 413 -> "PAYLOAD_TOO_LARGE";
            case 429 -> "TOO_MANY_REQUESTS";
            default -> status.code() >= 500 ? "INTERNAL_ERROR" : status.reasonPhrase().toUpperCase(Locale.ROOT).replace(' ', '_');
        };
    }
}
