package io.wagateway.auth;

import io.wagateway.error.DomainException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Login throttling keyed on what cannot be respelled: the client address and the account, which is
 * the id of the one the database found (never the typed name, which a collation may match in many
 * spellings) or, when it found none, the typed name's lower-cased key: an unknown name is counted,
 * locked and slowed exactly like an account, so the answers do not tell whether a name exists.
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

    /** An admitted attempt: the address, and once known the account's key with its slowdown. */
    record Attempt(String address, String account, Duration delay) {
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
        return counted(attempt, "user " + userId);
    }

    /**
     * Adds a name the database found no user for, counted like an account under its key, so that
     * it is locked and slowed exactly as an existing name would be.
     *
     * @throws DomainException.RateLimited as {@link #account}, with the same message
     */
    Attempt unknownName(Attempt attempt, String typedName) {
        return counted(attempt, "name " + Usernames.key(typedName).orElseGet(() -> "digest " + digest(typedName)));
    }

    private Attempt counted(Attempt attempt, String account) {
        String key = pairKey(account, attempt.address());
        if (!byAccountAtAddress.tryBegin(key)) {
            throw limited(byAccountAtAddress.lockedFor(key), "for this user");
        }
        return new Attempt(attempt.address(), account, slowdown.delay(account));
    }

    void failed(Attempt attempt) {
        byAddress.failed(addressKey(attempt.address()));
        if (attempt.account() != null) {
            byAccountAtAddress.failed(pairKey(attempt.account(), attempt.address()));
            slowdown.failed(attempt.account());
        }
    }

    /** A right password: the account's counts start again; the address's do not (any account may reset them). */
    void succeeded(Attempt attempt) {
        byAddress.release(addressKey(attempt.address()));
        if (attempt.account() != null) {
            byAccountAtAddress.succeeded(pairKey(attempt.account(), attempt.address()));
            slowdown.succeeded(attempt.account());
        }
    }

    void abandoned(Attempt attempt) {
        byAddress.release(addressKey(attempt.address()));
        if (attempt.account() != null) {
            byAccountAtAddress.release(pairKey(attempt.account(), attempt.address()));
        }
    }

    private static String addressKey(String address) {
        return "address " + address;
    }

    private static String pairKey(String account, String address) {
        return account + " at " + address;
    }

    /**
     * A name no user can have (against {@link Usernames#RULE}) is kept as a digest: any length
     * costs the counters the same few bytes.
     */
    private static String digest(String typedName) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(typedName.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    private static DomainException.RateLimited limited(Duration locked, String scope) {
        return new DomainException.RateLimited(locked.isZero()
                ? "Too many login attempts at once " + scope + "; try again"
                : "Too many failed logins " + scope + "; try again in " + Math.max(1, locked.toSeconds()) + " s", locked);
    }
}
