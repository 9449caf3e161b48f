package io.wagateway.socket;

import io.wagateway.auth.RevocationListener;

/**
 * Ends, at once, the open sockets whose tokens were just revoked: each gets an {@code error}
 * {@code {code:"UNAUTHORIZED", message}} and is disconnected. Runs on the revoking thread; sending
 * and disconnecting only queue work on the sockets' channels, so it never blocks.
 */
final class RevocationCutter implements RevocationListener {

    private final SocketRegistry registry;
    private final Disconnector disconnector;

    RevocationCutter(SocketRegistry registry, Disconnector disconnector) {
        this.registry = registry;
        this.disconnector = disconnector;
    }

    @Override
    public void userRevoked(String userId, String message) {
        registry.matching(p -> p.userId().equals(userId)).forEach(state -> disconnector.end(state, message));
    }

    @Override
    public void tokenRevoked(String tokenId, String message) {
        registry.matching(p -> p.tokenId().equals(tokenId)).forEach(state -> disconnector.end(state, message));
    }
}
