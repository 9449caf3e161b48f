package io.wagateway.auth;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;
import io.wagateway.error.DomainException;
import io.wagateway.store.Constraints;
import io.wagateway.store.Rows;
import io.wagateway.store.Transactions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** Users and signed-out tokens in the database. */
public final class UserStore {

    private final DbClient db;

    public UserStore(DbClient db) {
        this.db = db;
    }

    public long count() {
        return db.execute().namedGet("count-users").map(row -> Rows.number(row, "n")).orElse(0L);
    }

    /** @return false when the username (compared lower-cased) is taken */
    public boolean insert(User user) {
        try {
            db.execute().namedInsert("insert-user", user.id(), user.username(),
                    Usernames.key(user.username()).orElse(user.username()), user.passwordHash(), user.role().name(),
                    user.enabled(), user.generation(), user.createdAt().toEpochMilli());
            return true;
        } catch (RuntimeException e) {
            if (Constraints.isDuplicateKey(e)) {
                return false;
            }
            throw e;
        }
    }

    /** @return the user of this name in any case; empty for a name no user can have */
    public Optional<User> findByName(String username) {
        return Usernames.key(username).flatMap(key -> db.execute().namedGet("select-user-by-key", key).map(UserStore::map));
    }

    public Optional<User> findById(String id) {
        return db.execute().namedGet("select-user-by-id", id).map(UserStore::map);
    }

    public List<User> list() {
        try (var rows = db.execute().namedQuery("select-users")) {
            return rows.map(UserStore::map).toList();
        }
    }

    /**
     * Sets role and enabled and bumps the token generation, in one transaction that first locks the
     * enabled admins, so that concurrent demotions on any node cannot remove the last one.
     *
     * @param allowed sees the enabled admins' ids; false refuses the change with 409
     * @return the updated user, or empty when it no longer exists
     * @throws DomainException.Conflict when {@code allowed} refuses
     */
    public Optional<User> updateStanding(String id, Role role, boolean enabled, Predicate<List<String>> allowed,
                                         String refusal) {
        long changed = Transactions.inTransaction(db, tx -> {
            List<String> admins;
            try (var rows = tx.namedQuery("lock-enabled-admins")) {
                admins = rows.map(row -> Rows.string(row, "id")).toList();
            }
            if (!allowed.test(admins)) {
                throw new DomainException.Conflict(refusal);
            }
            return tx.namedUpdate("update-user-standing", role.name(), enabled, id);
        });
        return changed == 0 ? Optional.empty() : findById(id);
    }

    /** Sets the password hash and bumps the token generation. @return the updated user, or empty */
    public Optional<User> updatePassword(String id, String passwordHash) {
        return db.execute().namedUpdate("update-user-password", passwordHash, id) == 0 ? Optional.empty() : findById(id);
    }

    /**
     * @return false when the user is gone already
     * @throws RuntimeException a constraint violation while the user still owns rows elsewhere
     */
    public boolean delete(String id) {
        db.execute().namedDelete("delete-revoked-tokens-of-user", id);
        return db.execute().namedDelete("delete-user", id) > 0;
    }

    /** Records a signed-out token until its expiry, forgetting those already expired. */
    public void revokeToken(String jti, String userId, Instant expiresAt, Instant now) {
        db.execute().namedDelete("delete-expired-revoked-tokens", now.toEpochMilli());
        try {
            db.execute().namedInsert("insert-revoked-token", jti, userId, expiresAt.toEpochMilli());
        } catch (RuntimeException e) {
            if (!Constraints.isDuplicateKey(e)) { // signed out twice: once is enough
                throw e;
            }
        }
    }

    /** @return the signed-out tokens that have not expired yet, jti to expiry */
    public Map<String, Instant> revokedTokens(Instant now) {
        try (var rows = db.execute().namedQuery("select-revoked-tokens", now.toEpochMilli())) {
            return rows.collect(Collectors.toMap(row -> Rows.string(row, "jti"), row -> Rows.instant(row, "expires_at")));
        }
    }

    private static User map(DbRow row) {
        return new User(Rows.string(row, "id"), Rows.string(row, "username"), Rows.string(row, "password_hash"),
                Role.valueOf(Rows.string(row, "role")), Rows.instant(row, "created_at"), bool(row, "enabled"),
                Rows.number(row, "token_generation"));
    }

    /** H2 gives a Boolean; MariaDB's driver may give a number for BOOLEAN (TINYINT(1)). */
    private static boolean bool(DbRow row, String column) {
        Object value = row.column(column).get();
        return value instanceof Boolean b ? b : ((Number) value).intValue() != 0;
    }
}
