package io.wagateway.http;

import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One line per request: method, path (no query: it may carry secrets), status, duration, user id.
 * Never a header or a body, so never a token or a password.
 */
public final class RequestLogFilter implements Filter {

    private static final Logger LOG = Logger.getLogger("io.wagateway.access");
    private static final String SOURCE = RequestLogFilter.class.getName();

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
            // The source named: otherwise every record walks the stack to find it (the formatter asks).
            LOG.logp(Level.INFO, SOURCE, "filter", () -> req.prologue().method().text() + " "
                    + req.prologue().uriPath().rawPath() + " " + res.status().code() + " " + millis(micros) + "ms user=" + user);
        }
    }

    /** @return the duration in milliseconds with three decimals ({@code 12.045}) */
    static String millis(long micros) {
        String fraction = Long.toString(micros % 1000);
        return micros / 1000 + "." + "000".substring(fraction.length()) + fraction;
    }
}
