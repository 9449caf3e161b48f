package io.wagateway.auth;

import io.helidon.webserver.http.ServerRequest;
import io.wagateway.error.DomainException;

/** The authenticated caller of a request, as {@link io.wagateway.auth.BearerAuthFilter} registered it. */
public final class Caller {

    private Caller() {
    }

    /** @return the id of the request's authenticated caller, if any */
    public static java.util.Optional<String> id(ServerRequest req) {
        return req.context().get(Principal.class).map(Principal::userId);
    }

    /** @throws DomainException 401 when the request carries no accepted token */
    public static Principal of(ServerRequest req) {
        return req.context().get(Principal.class)
                .orElseThrow(() -> new DomainException.Unauthorized("Missing bearer token (Authorization: Bearer <token>)"));
    }

    /** @throws DomainException 401 without a token, 403 when the caller is not an admin */
    public static Principal admin(ServerRequest req) {
        Principal caller = of(req);
        if (!caller.isAdmin()) {
            throw new DomainException.Forbidden("Only administrators may do this");
        }
        return caller;
    }
}
