package io.wagateway.auth;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;
import io.wagateway.store.Constraints;
import io.wagateway.store.Rows;
import java.util.List;
import java.util.Optional;

/** Users in the database. */
public final class UserStore {

    private final DbClient db;

    public UserStore(DbClient db) {
        this.db = db;
    }

    public long count() {
        return db.execute().namedGet("count-users").map(row -> Rows.number(row, "n")).orElse(0L);
    }

    /** @return false when the username is taken */
    public boolean insert(User user) {
        try {
            db.execute().namedInsert("insert-user", user.id(), user.username(), user.passwordHash(),
                    user.role().name(), user.createdAt().toEpochMilli());
            return true;
        } catch (RuntimeException e) {
            if (Constraints.isDuplicateKey(e)) {
                return false;
            }
            throw e;
        }
    }

    public Optional<User> findByName(String username) {
        return db.execute().namedGet("select-user-by-name", username).map(UserStore::map);
    }

    public Optional<User> findById(String id) {
        return db.execute().namedGet("select-user-by-id", id).map(UserStore::map);
    }

    public List<User> list() {
        try (var rows = db.execute().namedQuery("select-users")) {
            return rows.map(UserStore::map).toList();
        }
    }

    private static User map(DbRow row) {
        return new User(Rows.string(row, "id"), Rows.string(row, "username"), Rows.string(row, "password_hash"),
                Role.valueOf(Rows.string(row, "role")), Rows.instant(row, "created_at"));
    }
}
