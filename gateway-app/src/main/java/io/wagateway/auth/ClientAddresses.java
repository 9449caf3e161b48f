package io.wagateway.auth;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.Set;

/**
 * The client address login throttling counts by: the TCP peer, unless that peer is a configured
 * trusted proxy, in which case the right-most {@code X-Forwarded-For} entry that is not a trusted
 * proxy. Anyone can write that header, so it is believed only when a trusted proxy sent it.
 */
public final class ClientAddresses {

    private final Set<String> trustedProxies;

    public ClientAddresses(List<String> trustedProxies) {
        this.trustedProxies = Set.copyOf(trustedProxies);
    }

    public String of(ServerRequest req) {
        String peer = peer(req.remotePeer().address());
        if (!trustedProxies.contains(peer)) {
            return peer;
        }
        List<String> forwarded = req.headers().all(HeaderNames.X_FORWARDED_FOR, List::of).stream()
                .flatMap(value -> java.util.Arrays.stream(value.split(",")))
                .map(String::strip).filter(s -> !s.isEmpty()).toList();
        for (int i = forwarded.size() - 1; i >= 0; i--) {
            if (!trustedProxies.contains(forwarded.get(i))) {
                return forwarded.get(i);
            }
        }
        return peer;
    }

    private static String peer(SocketAddress address) {
        return address instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : String.valueOf(address);
    }
}
