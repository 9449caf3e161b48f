package io.wagateway.http;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The origin allow-list shared by REST and the Socket.IO handshake. A request without an
 * {@code Origin} header is not a browser's cross-origin request and is not restricted here.
 */
public final class CorsPolicy {

    private final Set<String> origins;
    private final boolean any;

    public CorsPolicy(List<String> origins) {
        this.any = origins.contains("*");
        this.origins = origins.stream().map(o -> o.toLowerCase(Locale.ROOT).replaceAll("/+$", ""))
                .collect(Collectors.toUnmodifiableSet());
    }

    /** @param origin the request's Origin header, or null */
    public boolean allows(String origin) {
        return origin == null || any || origins.contains(origin.toLowerCase(Locale.ROOT));
    }
}
