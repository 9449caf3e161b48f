package io.wagateway.http;

import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * One line per request: method, path (no query: it may carry secrets), status, duration, user id.
 * Never a header or a body, so never a token or a password.
 */
public final class RequestLogFilter implements Filter {

    private static final Logger LOG = Logger.getLogger("io.wagateway.access");

    private final Function<ServerRequest, Optional<String>> callerId;

    /** @param callerId the id of the request's authenticated caller, if any (auth knows how to find it) */
    public RequestLogFilter(Function<ServerRequest, Optional<String>> callerId) {
        this.callerId = callerId;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        long start = System.nanoTime();
        try {
            chain.proceed();
        } finally {
            long micros = (System.nanoTime() - start) / 1000;
            String user = callerId.apply(req).orElse("-");
            LOG.info(() -> req.prologue().method().text() + " " + req.prologue().uriPath().rawPath() + " " + res.status().code()
                    + " " + (micros / 1000) + "." + String.format("%03d", micros % 1000) + "ms user=" + user);
        }
    }
}
