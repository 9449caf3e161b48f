package io.wagateway.auth;

/**
 * The token check REST and Socket.IO use: a well-signed, unexpired token ({@link TokenService})
 * whose user still exists, is enabled, has not changed role or password since, and which was not
 * signed out ({@link UserStandings}). Pure CPU, as {@link TokenVerifier} promises.
 */
public final class CurrentTokenVerifier implements TokenVerifier {

    private final TokenService tokens;
    private final UserStandings standings;

    public CurrentTokenVerifier(TokenService tokens, UserStandings standings) {
        this.tokens = tokens;
        this.standings = standings;
    }

    @Override
    public Principal verify(String token) throws InvalidTokenException {
        Principal principal = tokens.verify(token);
        var refusal = standings.refusal(principal);
        if (refusal.isPresent()) {
            throw new InvalidTokenException(InvalidTokenException.Reason.REVOKED, refusal.get());
        }
        return principal;
    }

    @Override
    public boolean isCurrent(Principal principal) {
        return standings.refusal(principal).isEmpty();
    }
}
