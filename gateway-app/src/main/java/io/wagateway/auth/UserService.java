package io.wagateway.auth;

import io.wagateway.error.DomainException;
import io.wagateway.store.Constraints;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;

/**
 * Users and their lifecycle: the bootstrap admin, creation, role and enabled changes, password
 * resets and deletion. Every change that must end a user's tokens bumps their token generation
 * in the database and then goes through {@link Revocations}, so it takes effect on the user's next
 * request and ends their open connections. There is always at least one enabled admin.
 */
public final class UserService {

    private static final Logger LOG = Logger.getLogger(UserService.class.getName());
    static final int MIN_PASSWORD = 10;
    static final int MAX_PASSWORD = 256;
    private static final String LAST_ADMIN = "The last enabled administrator cannot be removed, disabled or demoted";

    private final UserStore store;
    private final PasswordHasher hasher;
    private final PasswordChecks checks;
    private final Revocations revocations;
    private final Clock clock;
    private final List<UserLifecycleListener> lifecycle = new CopyOnWriteArrayList<>();

    UserService(UserStore store, PasswordHasher hasher, PasswordChecks checks, Revocations revocations, Clock clock) {
        this.store = store;
        this.hasher = hasher;
        this.checks = checks;
        this.revocations = revocations;
        this.clock = clock;
    }

    public void addLifecycleListener(UserLifecycleListener listener) {
        lifecycle.add(listener);
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
        User admin = newUser(username, password, Role.ADMIN);
        if (store.insert(admin)) {
            revocations.userAdded(admin);
            if (generated) {
                LOG.warning(() -> "Created admin user '" + username + "' with generated password: " + password
                        + "  (shown once; set GATEWAY_ADMIN_PASSWORD to choose it)");
            } else {
                LOG.info(() -> "Created admin user '" + username + "' with the configured password");
            }
        }
    }

    public Optional<User> find(String id) {
        return store.findById(id);
    }

    public List<User> list() {
        return store.list();
    }

    /** @throws DomainException 400 for a bad name/password, 409 when the name is taken in any case */
    public User create(String username, String password, Role role) {
        if (Usernames.key(username).isEmpty()) {
            throw new DomainException.Invalid("'username' must be " + Usernames.RULE_TEXT);
        }
        checkPassword(password);
        User user = newUser(username, password, role);
        if (!store.insert(user)) {
            throw new DomainException.Conflict("Username '" + username + "' is taken");
        }
        revocations.userAdded(user);
        return user;
    }

    /**
     * Changes role and/or enabled (null keeps it). A real change ends the user's tokens and sockets.
     *
     * @throws DomainException 404 unknown user, 409 for the last enabled admin
     */
    public User update(String id, Role role, Boolean enabled) {
        User user = existing(id);
        Role newRole = role == null ? user.role() : role;
        boolean newEnabled = enabled == null ? user.enabled() : enabled;
        if (newRole == user.role() && newEnabled == user.enabled()) {
            return user;
        }
        User changed = changeStanding(id, newRole, newEnabled);
        revocations.userChanged(changed, !newEnabled ? "User disabled" : "Role changed; sign in again");
        return changed;
    }

    /** Sets a user's password (admin reset, or the user's own change after proof). @throws DomainException 404 */
    public User setPassword(String id, String password) {
        checkPassword(password);
        String hash = checks.run(() -> hasher.hash(password));
        User changed = store.updatePassword(id, hash).orElseThrow(() -> notFound(id));
        revocations.userChanged(changed, "Password changed; sign in again");
        return changed;
    }

    /**
     * Deletes a user: first disabled (their tokens end, so they cannot create anything more), then
     * what they own is removed by the lifecycle listeners (their sessions, engines stopped), then the
     * user. A failure on the way leaves the user disabled; deleting again finishes the job.
     *
     * @throws DomainException 404 unknown user, 409 for the last enabled admin
     */
    public void delete(Principal admin, String id) {
        User disabled = changeStanding(id, existing(id).role(), false);
        revocations.userChanged(disabled, "User deleted");
        for (int attempt = 1; ; attempt++) {
            lifecycle.forEach(l -> l.userDeleting(admin, id));
            try {
                store.delete(id);
                break;
            } catch (RuntimeException e) {
                // A request that passed its token check just before the disable may have added a row since.
                if (!Constraints.isDuplicateKey(e) || attempt == 3) {
                    throw Constraints.isDuplicateKey(e)
                            ? new DomainException.Conflict("The user still owns data that could not be removed; try again")
                            : e;
                }
            }
        }
        revocations.userRemoved(id);
    }

    private synchronized User changeStanding(String id, Role role, boolean enabled) {
        boolean staysEnabledAdmin = role == Role.ADMIN && enabled;
        return store.updateStanding(id, role, enabled,
                admins -> staysEnabledAdmin || !admins.contains(id) || admins.size() > 1, LAST_ADMIN)
                .orElseThrow(() -> notFound(id));
    }

    private User existing(String id) {
        return store.findById(id).orElseThrow(() -> notFound(id));
    }

    private static DomainException notFound(String id) {
        return new DomainException.NotFound("User not found: " + id);
    }

    static void checkPassword(String password) {
        if (password.length() < MIN_PASSWORD || password.length() > MAX_PASSWORD) {
            throw new DomainException.Invalid("'password' must be " + MIN_PASSWORD + "-" + MAX_PASSWORD + " characters");
        }
    }

    private User newUser(String username, String password, Role role) {
        return new User(UUID.randomUUID().toString(), username, checks.run(() -> hasher.hash(password)), role,
                clock.instant().truncatedTo(ChronoUnit.MILLIS));
    }
}
