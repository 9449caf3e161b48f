package io.wagateway.auth;

import io.wagateway.config.GatewaySettings;
import java.time.Clock;

/**
 * The auth part of the gateway assembled from its settings: users, sign-in, and the token check,
 * with the in-memory view of who still stands loaded from the database before anything is served.
 */
public final class Identity implements AutoCloseable {

    private final TokenService tokens;
    private final CurrentTokenVerifier verifier;
    private final UserService users;
    private final LoginService logins;
    private final Revocations revocations;
    private final ClientAddresses addresses;
    private final PasswordChecks checks;
    private final UserStandings standings;

    public Identity(UserStore store, GatewaySettings.Auth settings, byte[] secret, Clock clock) {
        this(store, settings, secret, clock, LoginPause.SLEEP);
    }

    /** @param pause how a login waits out its account's slowdown (a test records it instead) */
    Identity(UserStore store, GatewaySettings.Auth settings, byte[] secret, Clock clock, LoginPause pause) {
        standings = new UserStandings(clock);
        standings.load(store.list(), store.revokedTokens(clock.instant()));
        revocations = new Revocations(standings);
        tokens = new TokenService(secret, settings.tokenTtl(), clock);
        verifier = new CurrentTokenVerifier(tokens, standings);
        PasswordHasher hasher = new PasswordHasher();
        checks = new PasswordChecks(settings.passwordCheckConcurrency(), settings.passwordCheckWait());
        LoginGuard guard = new LoginGuard(
                new LoginThrottle(settings.loginAddressMaxFailures(), settings.loginLockout(), clock),
                new LoginThrottle(settings.loginMaxFailures(), settings.loginLockout(), clock),
                new AccountSlowdown(settings.loginMaxFailures(), settings.loginLockout(), settings.loginSlowdownMax(), clock));
        users = new UserService(store, hasher, checks, revocations, clock);
        logins = new LoginService(users, store, hasher, checks, guard, tokens, revocations, clock, pause);
        addresses = new ClientAddresses(settings.trustedProxies());
    }

    /** @return the users' current roles and whether they are enabled, in memory */
    public UserStandings standings() {
        return standings;
    }

    public TokenService tokens() {
        return tokens;
    }

    /** The check for REST and Socket.IO: signature, expiry, and that the user still stands behind the token. */
    public TokenVerifier verifier() {
        return verifier;
    }

    public UserService users() {
        return users;
    }

    public LoginService logins() {
        return logins;
    }

    public ClientAddresses addresses() {
        return addresses;
    }

    /** @param listener told when tokens end, so that open connections end with them */
    public void addRevocationListener(RevocationListener listener) {
        revocations.addListener(listener);
    }

    /** Stops the password-check threads. */
    @Override
    public void close() {
        checks.close();
    }
}
