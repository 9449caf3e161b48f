package io.wagateway.auth;

import io.wagateway.error.DomainException;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;

/** Users: the bootstrap admin, login, and creation by admins. */
public final class UserService {

    private static final Logger LOG = Logger.getLogger(UserService.class.getName());
    static final String USERNAME_RULE = "[A-Za-z0-9._-]{3,64}";
    static final int MIN_PASSWORD = 10;
    static final int MAX_PASSWORD = 256;

    private final UserStore store;
    private final PasswordHasher hasher;
    private final TokenService tokens;
    private final LoginThrottle throttle;
    private final Clock clock;
    // Hashed once so that a login for an unknown user costs as much as one for a known user.
    private final String dummyHash;

    public UserService(UserStore store, PasswordHasher hasher, TokenService tokens, LoginThrottle throttle, Clock clock) {
        this.store = store;
        this.hasher = hasher;
        this.tokens = tokens;
        this.throttle = throttle;
        this.clock = clock;
        this.dummyHash = hasher.hash(hasher.generatePassword());
    }

    /**
     * Creates the first admin when there are no users. With no configured password one is
     * generated and logged once (it is never stored in clear).
     */
    public void bootstrapAdmin(String username, String configuredPassword) {
        if (store.count() > 0) {
            return;
        }
        boolean generated = configuredPassword.isEmpty();
        String password = generated ? hasher.generatePassword() : configuredPassword;
        if (store.insert(newUser(username, password, Role.ADMIN))) {
            if (generated) {
                LOG.warning(() -> "Created admin user '" + username + "' with generated password: " + password
                        + "  (shown once; set GATEWAY_ADMIN_PASSWORD to choose it)");
            } else {
                LOG.info(() -> "Created admin user '" + username + "' with the configured password");
            }
        }
    }

    /** A result of a successful login. */
    public record Login(TokenService.IssuedToken token, User user) {
    }

    /** @throws DomainException 401 on wrong credentials, 429 while the username is locked */
    public Login login(String username, String password) {
        if (!throttle.tryBegin(username)) {
            Duration locked = throttle.lockedFor(username);
            throw new DomainException.RateLimited(locked.isZero()
                    ? "Too many login attempts at once; try again"
                    : "Too many failed logins; try again in " + Math.max(1, locked.toSeconds()) + " s", locked);
        }
        Optional<User> user = store.findByName(username);
        boolean ok = hasher.matches(password, user.map(User::passwordHash).orElse(dummyHash)) && user.isPresent();
        if (!ok) {
            throttle.failed(username);
            throw new DomainException.Unauthorized("Invalid username or password");
        }
        throttle.succeeded(username);
        return new Login(tokens.issue(user.get()), user.get());
    }

    public Optional<User> find(String id) {
        return store.findById(id);
    }

    public java.util.List<User> list() {
        return store.list();
    }

    /** @throws DomainException 400 for a bad name/password, 409 when the name is taken */
    public User create(String username, String password, Role role) {
        if (!username.matches(USERNAME_RULE)) {
            throw new DomainException.Invalid("'username' must be 3-64 letters, digits, '.', '_' or '-'");
        }
        checkPassword(password);
        User user = newUser(username, password, role);
        if (!store.insert(user)) {
            throw new DomainException.Conflict("Username '" + username + "' is taken");
        }
        return user;
    }

    static void checkPassword(String password) {
        if (password.length() < MIN_PASSWORD || password.length() > MAX_PASSWORD) {
            throw new DomainException.Invalid("'password' must be " + MIN_PASSWORD + "-" + MAX_PASSWORD + " characters");
        }
    }

    private User newUser(String username, String password, Role role) {
        return new User(UUID.randomUUID().toString(), username, hasher.hash(password), role,
                clock.instant().truncatedTo(ChronoUnit.MILLIS));
    }
}
