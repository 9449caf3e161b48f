package io.wagateway.auth;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.wagateway.http.ErrorHandlers;
import java.util.Optional;

/**
 * Reads {@code Authorization: Bearer <token>}, verifies it and registers the {@link Principal} in
 * the request context. A request without the header passes on anonymous (handlers that need a
 * caller refuse it with {@code 401}); a request with a bad token is refused here.
 */
public final class BearerAuthFilter implements Filter {

    private static final String PREFIX = "bearer ";

    private final TokenVerifier verifier;

    public BearerAuthFilter(TokenVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        Optional<String> header = req.headers().first(HeaderNames.AUTHORIZATION);
        if (header.isPresent()) {
            String value = header.get().strip();
            if (value.length() < PREFIX.length() || !value.substring(0, PREFIX.length()).equalsIgnoreCase(PREFIX)) {
                ErrorHandlers.send(res, Status.UNAUTHORIZED_401, "UNAUTHORIZED", "Authorization must be 'Bearer <token>'");
                return;
            }
            try {
                req.context().register(verifier.verify(value.substring(PREFIX.length()).strip()));
            } catch (InvalidTokenException e) {
                ErrorHandlers.send(res, Status.UNAUTHORIZED_401, "UNAUTHORIZED", e.getMessage());
                return;
            }
        }
        chain.proceed();
    }
}
