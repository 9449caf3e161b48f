package io.wagateway.auth;

import io.wagateway.error.DomainException;
import java.time.Duration;

/**
 * Login throttling keyed on what cannot be respelled: the client address and the id of the account
 * the database found (never the typed name, which a collation may match in many spellings).
 * <ul>
 *   <li>per address: too many failures from one address lock that address for a while, whatever
 *       names it tries;</li>
 *   <li>per account at an address: a few failures lock that account for that address only, so a
 *       flood from one place never locks the owner out elsewhere;</li>
 *   <li>per account: past those few failures every attempt waits a little, capped
 *       ({@link AccountSlowdown}).</li>
 * </ul>
 * An attempt is begun, then ended exactly once: {@link #failed}, {@link #succeeded} or
 * {@link #abandoned} (refused before its password was checked).
 */
final class LoginGuard {

    /** An admitted attempt: the address, and once found the account with its slowdown. */
    record Attempt(String address, String userId, Duration delay) {
    }

    private final LoginThrottle byAddress;
    private final LoginThrottle byAccountAtAddress;
    private final AccountSlowdown slowdown;

    LoginGuard(LoginThrottle byAddress, LoginThrottle byAccountAtAddress, AccountSlowdown slowdown) {
        this.byAddress = byAddress;
        this.byAccountAtAddress = byAccountAtAddress;
        this.slowdown = slowdown;
    }

    /** @throws DomainException.RateLimited while the address is locked */
    Attempt begin(String address) {
        String key = addressKey(address);
        if (!byAddress.tryBegin(key)) {
            throw limited(byAddress.lockedFor(key), "from this address");
        }
        return new Attempt(address, null, Duration.ZERO);
    }

    /**
     * Adds the account the database found to an attempt.
     *
     * @throws DomainException.RateLimited while the account is locked for this address (the attempt
     *                                     stays address-only: abandon it)
     */
    Attempt account(Attempt attempt, String userId) {
        String key = pairKey(userId, attempt.address());
        if (!byAccountAtAddress.tryBegin(key)) {
            throw limited(byAccountAtAddress.lockedFor(key), "for this user");
        }
        return new Attempt(attempt.address(), userId, slowdown.delay(userId));
    }

    void failed(Attempt attempt) {
        byAddress.failed(addressKey(attempt.address()));
        if (attempt.userId() != null) {
            byAccountAtAddress.failed(pairKey(attempt.userId(), attempt.address()));
            slowdown.failed(attempt.userId());
        }
    }

    /** A right password: the account's counts start again; the address's do not (any account may reset them). */
    void succeeded(Attempt attempt) {
        byAddress.release(addressKey(attempt.address()));
        if (attempt.userId() != null) {
            byAccountAtAddress.succeeded(pairKey(attempt.userId(), attempt.address()));
            slowdown.succeeded(attempt.userId());
        }
    }

    void abandoned(Attempt attempt) {
        byAddress.release(addressKey(attempt.address()));
        if (attempt.userId() != null) {
            byAccountAtAddress.release(pairKey(attempt.userId(), attempt.address()));
        }
    }

    private static String addressKey(String address) {
        return "address " + address;
    }

    private static String pairKey(String userId, String address) {
        return "user " + userId + " at " + address;
    }

    private static DomainException.RateLimited limited(Duration locked, String scope) {
        return new DomainException.RateLimited(locked.isZero()
                ? "Too many login attempts at once " + scope + "; try again"
                : "Too many failed logins " + scope + "; try again in " + Math.max(1, locked.toSeconds()) + " s", locked);
    }
}
