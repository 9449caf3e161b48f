package io.wagateway.session;

import io.helidon.dbclient.DbClient;
import io.wagateway.api.CredentialStore;
import io.wagateway.store.Rows;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Engine credentials in the database. Each link of a session keeps them under the session's
 * credential epoch as it was when the engine session opened ({@link #epoch}); a logout moves the
 * session to the next epoch ({@link #wipe}). So a write of the last link that lands after the
 * wipe (one stuck past the logout's bounded wait, {@link CredentialsGate}) sits beside the new
 * link's entries, never over them, and nobody reads it; {@link #deleteStale} removes it.
 */
public final class CredentialRepository {

    private final DbClient db;

    public CredentialRepository(DbClient db) {
        this.db = db;
    }

    /** @return the session's credential epoch now (0 for a session that is gone: what is written under it is stale) */
    public long epoch(String sessionId) {
        return db.execute().namedGet("select-credential-epoch", sessionId)
                .map(row -> Rows.number(row, "credential_epoch"))
                .orElse(0L);
    }

    /** @return the session's credentials of its epoch now */
    public CredentialStore forSession(String sessionId) {
        return forEpoch(sessionId, epoch(sessionId));
    }

    /** @return the session's credentials of {@code epoch}: what an engine session opened in it reads and writes */
    public CredentialStore forEpoch(String sessionId, long epoch) {
        return new SessionCredentials(sessionId, epoch);
    }

    /**
     * A logout's: moves the session to its next epoch, then deletes its entries of every epoch.
     * In that order, so an entry written meanwhile under the old epoch is unread whether or not
     * the delete saw it. (No transaction: a crash between the two leaves only unread entries.)
     */
    public void wipe(String sessionId) {
        db.execute().namedUpdate("advance-credential-epoch", sessionId);
        db.execute().namedDelete("delete-credentials", sessionId);
    }

    /** @return how many entries were removed that nobody reads: of a deleted session or of an epoch its session has left */
    public long deleteStale() {
        return db.execute().namedDelete("delete-stale-credentials");
    }

    private final class SessionCredentials implements CredentialStore {

        private final String sessionId;
        private final long epoch;

        private SessionCredentials(String sessionId, long epoch) {
            this.sessionId = sessionId;
            this.epoch = epoch;
        }

        @Override
        public Optional<byte[]> get(String key) {
            return db.execute().namedGet("select-credential", sessionId, epoch, checkKey(key))
                    .map(row -> Rows.bytes(row, "data"));
        }

        @Override
        public void put(String key, byte[] value) {
            Objects.requireNonNull(value, "value");
            db.execute().namedInsert("upsert-credential", sessionId, epoch, checkKey(key), value,
                    System.currentTimeMillis());
        }

        @Override
        public void remove(String key) {
            db.execute().namedDelete("delete-credential", sessionId, epoch, checkKey(key));
        }

        @Override
        public Set<String> keys() {
            try (var rows = db.execute().namedQuery("select-credential-names", sessionId, epoch)) {
                Set<String> names = new LinkedHashSet<>();
                rows.forEach(row -> names.add(Rows.string(row, "name")));
                return names;
            }
        }

        @Override
        public void clear() {
            db.execute().namedDelete("delete-credentials-of-epoch", sessionId, epoch);
        }

        private String checkKey(String key) {
            if (key == null || key.isEmpty() || key.length() > 200) {
                throw new IllegalArgumentException("Credential key must have 1-200 characters");
            }
            return key;
        }
    }
}
