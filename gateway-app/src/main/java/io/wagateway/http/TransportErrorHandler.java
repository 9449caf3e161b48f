package io.wagateway.http;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import java.time.Clock;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Answers what fails before routing (a request line with a NUL or a TLS hello on the plain port,
 * a bad chunk size, headers over the limit) in the contract's JSON error shape. Whatever the
 * server could not parse is the client's fault: {@code 400}, not {@code 500}. It logs one line,
 * at most once a minute, never a stack trace or the client's bytes: a flood of garbage must not
 * flood the log. (Helidon logs a stack trace only for the {@code 500}s it answers itself.)
 */
public final class TransportErrorHandler implements DirectHandler {

    private static final Logger LOG = Logger.getLogger(TransportErrorHandler.class.getName());
    private static final Duration LOG_INTERVAL = Duration.ofMinutes(1);

    private final LogThrottle log;

    public TransportErrorHandler(Clock clock) {
        this.log = new LogThrottle(LOG, Level.INFO, LOG_INTERVAL, clock);
    }

    /** @return handlers for every event that bypasses routing */
    public DirectHandlers handlers() {
        DirectHandlers.Builder builder = DirectHandlers.builder();
        for (EventType type : EventType.values()) {
            builder.addHandler(type, this);
        }
        return builder.build();
    }

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status defaultStatus,
                                    ServerResponseHeaders responseHeaders, String message) {
        // Routing answers every failure of our own code itself, so whatever gets here is the server
        // failing to take what it was sent (a NUL in the method, a TLS hello, an over-long request
        // line or header, HTTP/1.0): a 400 in the contract's shape, not Helidon's 414, 431 or 505.
        Status status = switch (defaultStatus.code()) {
            case 408, 413, 503 -> defaultStatus;
            default -> Status.BAD_REQUEST_400;
        };
        log.log(() -> "Refused a request that failed before routing (" + eventType + ", " + defaultStatus.code() + ")");
        return response(status, switch (defaultStatus.code()) {
            case 413 -> "Request body is too large";
            case 503 -> "Server busy; try again";
            case 414 -> "Request line is too long";
            case 431 -> "Request headers are too large";
            case 505 -> "HTTP version not supported: HTTP/1.1 only";
            default -> "Malformed request";
        });
    }

    private TransportResponse response(Status status, String message) {
        String code = ErrorHandlers.codeFor(status);
        return TransportResponse.builder()
                .status(status)
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .header(HeaderNames.CONNECTION, "close")
                .keepAlive(false)
                .entity(Json.bytes(ErrorHandlers.errorBody(code, message)))
                .build();
    }
}
