package io.wagateway.http;

import io.wagateway.auth.Principal;
import io.helidon.webserver.http.ServerRequest;

/** The authenticated caller of a request, as {@link io.wagateway.auth.BearerAuthFilter} registered it. */
public final class Caller {

    private Caller() {
    }

    /** @throws ApiException 401 when the request carries no accepted token */
    public static Principal of(ServerRequest req) {
        return req.context().get(Principal.class)
                .orElseThrow(() -> ApiException.unauthorized("Missing bearer token (Authorization: Bearer <token>)"));
    }

    /** @throws ApiException 401 without a token, 403 when the caller is not an admin */
    public static Principal admin(ServerRequest req) {
        Principal caller = of(req);
        if (!caller.isAdmin()) {
            throw ApiException.forbidden("Only administrators may do this");
        }
        return caller;
    }
}
