package io.wagateway.testkit;

import io.wagateway.api.CredentialStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A session's {@link CredentialStore} kept in memory. It refuses what the gateway's database store
 * refuses (a key that is null, empty or longer than 200 characters; a null value), so a plugin
 * that passes its tests here does not fail on the host. Values are copied in and out, as a
 * database copies them: changing an array after {@code put} or after {@code get} changes nothing
 * stored.
 *
 * <p>Thread-safe. Share one instance between two {@link RecordingEngineContext}s to model a
 * restart of the gateway: the second session finds what the first stored. An engine that stores
 * from its own threads is awaited with {@link #await}, never a fixed sleep.
 */
public final class InMemoryCredentialStore implements CredentialStore {

    /** The longest key the host stores. */
    public static final int MAX_KEY_LENGTH = 200;

    // Guarded by this; every change notifies, for await.
    private final Map<String, byte[]> entries = new HashMap<>();

    /** Creates an empty store. */
    public InMemoryCredentialStore() {
    }

    /**
     * @throws IllegalArgumentException when the key is null, empty or longer than {@value #MAX_KEY_LENGTH}
     */
    @Override
    public synchronized Optional<byte[]> get(String key) {
        return Optional.ofNullable(entries.get(checkKey(key))).map(byte[]::clone);
    }

    /**
     * @throws IllegalArgumentException when the key is null, empty or longer than {@value #MAX_KEY_LENGTH}
     * @throws NullPointerException     when the value is null
     */
    @Override
    public synchronized void put(String key, byte[] value) {
        Objects.requireNonNull(value, "value");
        entries.put(checkKey(key), value.clone());
        notifyAll();
    }

    /**
     * @throws IllegalArgumentException when the key is null, empty or longer than {@value #MAX_KEY_LENGTH}
     */
    @Override
    public synchronized void remove(String key) {
        entries.remove(checkKey(key));
        notifyAll();
    }

    @Override
    public synchronized Set<String> keys() {
        return Set.copyOf(entries.keySet());
    }

    @Override
    public synchronized void clear() {
        entries.clear();
        notifyAll();
    }

    /** @return every entry with its value read as UTF-8 text, sorted by key: what a test compares */
    public synchronized Map<String, String> texts() {
        Map<String, String> texts = new TreeMap<>();
        entries.forEach((k, v) -> texts.put(k, new String(v, StandardCharsets.UTF_8)));
        return texts;
    }

    /**
     * Waits up to {@link RecordingEngineContext#DEFAULT_TIMEOUT} until the entries, as {@link #texts()},
     * satisfy {@code condition}: for an engine that stores from its own threads.
     *
     * @param condition what the entries must satisfy
     * @param what      what is awaited, for the failure's message
     * @return the entries that satisfied it
     * @throws AssertionError naming {@code what} and the keys stored when the time is up
     */
    public Map<String, String> await(Predicate<? super Map<String, String>> condition, String what) {
        return await(condition, what, RecordingEngineContext.DEFAULT_TIMEOUT);
    }

    /**
     * As {@link #await(Predicate, String)}, waiting up to {@code timeout}.
     *
     * @param condition what the entries must satisfy
     * @param what      what is awaited, for the failure's message
     * @param timeout   how long to wait
     * @return the entries that satisfied it
     * @throws AssertionError naming {@code what} and the keys stored when the time is up
     */
    public synchronized Map<String, String> await(Predicate<? super Map<String, String>> condition, String what,
                                                  Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Map<String, String> texts = texts();
            if (condition.test(texts)) {
                return texts;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("The credential store never had " + what + " within " + timeout
                        + "; it has " + texts.keySet());
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted while waiting for " + what + " in the credential store", e);
            }
        }
    }

    private static String checkKey(String key) {
        // The same rule and words as the host's store.
        if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("Credential key must have 1-" + MAX_KEY_LENGTH + " characters");
        }
        return key;
    }
}
