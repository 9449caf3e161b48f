package io.wagateway.testkit;

import io.wagateway.api.CredentialStore;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A session's {@link CredentialStore} kept in memory. It refuses what the gateway's database store
 * refuses (a key that is null, empty or longer than 200 characters; a null value), so a plugin
 * that passes its tests here does not fail on the host. Values are copied in and out, as a
 * database copies them: changing an array after {@code put} or after {@code get} changes nothing
 * stored.
 *
 * <p>Thread-safe. Share one instance between two {@link RecordingEngineContext}s to model a
 * restart of the gateway: the second session finds what the first stored.
 */
public final class InMemoryCredentialStore implements CredentialStore {

    /** The longest key the host stores. */
    public static final int MAX_KEY_LENGTH = 200;

    private final ConcurrentHashMap<String, byte[]> entries = new ConcurrentHashMap<>();

    /** Creates an empty store. */
    public InMemoryCredentialStore() {
    }

    /**
     * @throws IllegalArgumentException when the key is null, empty or longer than {@value #MAX_KEY_LENGTH}
     */
    @Override
    public Optional<byte[]> get(String key) {
        return Optional.ofNullable(entries.get(checkKey(key))).map(byte[]::clone);
    }

    /**
     * @throws IllegalArgumentException when the key is null, empty or longer than {@value #MAX_KEY_LENGTH}
     * @throws NullPointerException     when the value is null
     */
    @Override
    public void put(String key, byte[] value) {
        Objects.requireNonNull(value, "value");
        entries.put(checkKey(key), value.clone());
    }

    /**
     * @throws IllegalArgumentException when the key is null, empty or longer than {@value #MAX_KEY_LENGTH}
     */
    @Override
    public void remove(String key) {
        entries.remove(checkKey(key));
    }

    @Override
    public Set<String> keys() {
        return Set.copyOf(entries.keySet());
    }

    @Override
    public void clear() {
        entries.clear();
    }

    private static String checkKey(String key) {
        // The same rule and words as the host's store.
        if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("Credential key must have 1-" + MAX_KEY_LENGTH + " characters");
        }
        return key;
    }
}
