package io.wagateway.auth;

import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Tells code that has no request at hand (a health check) whether the request being handled on
 * this thread comes from an ADMIN. Must run after {@link BearerAuthFilter}. Helidon runs the rest of
 * the filter chain and the handler on the thread that calls {@code chain.proceed()}, so the answer
 * holds exactly while the request is handled there.
 */
public final class AdminRequests implements Filter {

    private static final ThreadLocal<Boolean> ADMIN = ThreadLocal.withInitial(() -> Boolean.FALSE);

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        ADMIN.set(req.context().get(Principal.class).map(Principal::isAdmin).orElse(false));
        try {
            chain.proceed();
        } finally {
            ADMIN.remove();
        }
    }

    /** @return whether the request handled on this thread carries an ADMIN's token */
    public static boolean current() {
        return ADMIN.get();
    }
}
