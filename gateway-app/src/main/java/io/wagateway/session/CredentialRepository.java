package io.wagateway.session;

import io.helidon.dbclient.DbClient;
import io.wagateway.api.CredentialStore;
import io.wagateway.store.Rows;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** Engine credentials in the database; {@link #forSession} gives an engine its own store. */
public final class CredentialRepository {

    private final DbClient db;

    public CredentialRepository(DbClient db) {
        this.db = db;
    }

    public CredentialStore forSession(String sessionId) {
        return new SessionCredentials(sessionId);
    }

    public void deleteAll(String sessionId) {
        db.execute().namedDelete("delete-credentials", sessionId);
    }

    /** @return how many entries were removed whose session is gone (written by a late engine write after a delete) */
    public long deleteOrphans() {
        return db.execute().namedDelete("delete-orphan-credentials");
    }

    private final class SessionCredentials implements CredentialStore {

        private final String sessionId;

        private SessionCredentials(String sessionId) {
            this.sessionId = sessionId;
        }

        @Override
        public Optional<byte[]> get(String key) {
            return db.execute().namedGet("select-credential", sessionId, checkKey(key)).map(row -> Rows.bytes(row, "data"));
        }

        @Override
        public void put(String key, byte[] value) {
            Objects.requireNonNull(value, "value");
            db.execute().namedInsert("upsert-credential", sessionId, checkKey(key), value, System.currentTimeMillis());
        }

        @Override
        public void remove(String key) {
            db.execute().namedDelete("delete-credential", sessionId, checkKey(key));
        }

        @Override
        public Set<String> keys() {
            try (var rows = db.execute().namedQuery("select-credential-names", sessionId)) {
                Set<String> names = new LinkedHashSet<>();
                rows.forEach(row -> names.add(Rows.string(row, "name")));
                return names;
            }
        }

        @Override
        public void clear() {
            deleteAll(sessionId);
        }

        private String checkKey(String key) {
            if (key == null || key.isEmpty() || key.length() > 200) {
                throw new IllegalArgumentException("Credential key must have 1-200 characters");
            }
            return key;
        }
    }
}
