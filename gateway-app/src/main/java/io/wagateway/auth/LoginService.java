package io.wagateway.auth;

import io.wagateway.error.DomainException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Signing in and out: login, the caller's own password change (which proves the current password
 * exactly like a login, throttled the same way), and logout.
 */
public final class LoginService {

    static final String WRONG_CREDENTIALS = "Invalid username or password";

    private final UserService users;
    private final UserStore store;
    private final PasswordHasher hasher;
    private final PasswordChecks checks;
    private final LoginGuard guard;
    private final TokenService tokens;
    private final Revocations revocations;
    private final java.time.Clock clock;
    private final LoginPause pause;
    // Hashed once so that a login for an unknown user costs as much as one for a known user.
    private final String dummyHash;

    LoginService(UserService users, UserStore store, PasswordHasher hasher, PasswordChecks checks, LoginGuard guard,
                 TokenService tokens, Revocations revocations, java.time.Clock clock, LoginPause pause) {
        this.users = users;
        this.store = store;
        this.hasher = hasher;
        this.checks = checks;
        this.guard = guard;
        this.tokens = tokens;
        this.revocations = revocations;
        this.clock = clock;
        this.pause = pause;
        this.dummyHash = hasher.hash(hasher.generatePassword());
    }

    /** A result of a successful login. */
    public record Login(TokenService.IssuedToken token, User user) {
    }

    /**
     * @param address the client's address, as the HTTP edge determined it
     * @throws DomainException 401 on wrong credentials or a disabled user (the same answer), 429 while throttled
     */
    public Login login(String username, String password, String address) {
        User user = authenticate(address, () -> store.findByName(username),
                attempt -> guard.unknownName(attempt, username), password);
        return new Login(tokens.issue(user), user);
    }

    /**
     * Changes the caller's own password; a wrong current password counts as a failed login.
     *
     * @return a fresh token: every older one of the user, this request's included, ends
     */
    public Login changePassword(Principal caller, String currentPassword, String newPassword, String address) {
        UserService.checkPassword(newPassword);
        // Gone since its token was checked: still counted under its id, as if found.
        authenticate(address, () -> store.findById(caller.userId()),
                attempt -> guard.account(attempt, caller.userId()), currentPassword);
        User changed = users.setPassword(caller.userId(), newPassword);
        return new Login(tokens.issue(changed), changed);
    }

    /** Revokes the caller's token until it would have expired; its sockets are cut. */
    public void logout(Principal caller) {
        store.revokeToken(caller.tokenId(), caller.userId(), caller.expiresAt(), clock.instant());
        revocations.tokenRevoked(caller.tokenId(), caller.expiresAt(), "Signed out");
    }

    /**
     * @param ifNotFound counts the attempt when the lookup finds nobody, exactly as a found account
     *                   is counted, so that an unknown name is locked and slowed like a known one
     */
    private User authenticate(String address, Supplier<Optional<User>> lookup,
                              UnaryOperator<LoginGuard.Attempt> ifNotFound, String password) {
        LoginGuard.Attempt attempt = guard.begin(address);
        boolean ended = false;
        try {
            Optional<User> user = lookup.get();
            attempt = user.isPresent() ? guard.account(attempt, user.get().id()) : ifNotFound.apply(attempt);
            slowDown(attempt.delay());
            String hash = user.map(User::passwordHash).orElse(dummyHash);
            boolean matches = checks.run(() -> hasher.matches(password, hash));
            ended = true;
            // A disabled user is answered exactly like a wrong password, and counted like one.
            if (!matches || user.isEmpty() || !user.get().enabled()) {
                guard.failed(attempt);
                throw new DomainException.Unauthorized(WRONG_CREDENTIALS);
            }
            guard.succeeded(attempt);
            return user.get();
        } finally {
            if (!ended) {
                guard.abandoned(attempt);
            }
        }
    }

    /** The account-wide slowdown: bounded (see {@link AccountSlowdown}), on the request's own (virtual) thread. */
    private void slowDown(Duration delay) {
        if (delay.isZero()) {
            return;
        }
        try {
            pause.pause(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DomainException.RateLimited("Login interrupted; try again", Duration.ofSeconds(1));
        }
    }
}
