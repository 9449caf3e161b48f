package io.wagateway.api;

import java.util.Optional;
import java.util.Set;

/**
 * A session's private key-value store for credentials, kept by the host (in its database) so an
 * engine reconnects without a new scan after a restart, on this or another gateway host.
 *
 * <p>Values are opaque bytes. Calls block on the host's storage: call them from the engine's
 * own threads, not from latency-sensitive callbacks. Deleted together with the session, and on
 * logout.
 */
public interface CredentialStore {

    /**
     * @param key the entry's name
     * @return the stored value, or empty
     */
    Optional<byte[]> get(String key);

    /**
     * Stores or replaces an entry.
     *
     * @param key   the entry's name, at most 200 characters
     * @param value the value
     */
    void put(String key, byte[] value);

    /**
     * Removes an entry; nothing happens when it is absent.
     *
     * @param key the entry's name
     */
    void remove(String key);

    /** @return the names of every stored entry */
    Set<String> keys();

    /** Removes every entry of this session. */
    void clear();
}
