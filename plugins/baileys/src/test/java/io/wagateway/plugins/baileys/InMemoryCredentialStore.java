package io.wagateway.plugins.baileys;

import static org.junit.jupiter.api.Assertions.fail;

import io.wagateway.api.CredentialStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A host's credential store kept in memory; shared between sessions to model a restart. Tests
 * {@link #await} a state of it, since the engine writes from its own thread.
 */
final class InMemoryCredentialStore implements CredentialStore {

    private final TreeMap<String, byte[]> entries = new TreeMap<>();

    @Override
    public synchronized Optional<byte[]> get(String key) {
        return Optional.ofNullable(entries.get(key)).map(byte[]::clone);
    }

    @Override
    public synchronized void put(String key, byte[] value) {
        if (key.length() > 200) {
            throw new IllegalArgumentException("key longer than 200 characters: " + key);
        }
        entries.put(key, value.clone());
        notifyAll();
    }

    @Override
    public synchronized void remove(String key) {
        entries.remove(key);
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

    /** @return every entry as text, by name */
    synchronized Map<String, String> texts() {
        TreeMap<String, String> texts = new TreeMap<>();
        entries.forEach((k, v) -> texts.put(k, new String(v, StandardCharsets.UTF_8)));
        return texts;
    }

    /** Waits up to 10 s until the entries (as text) satisfy {@code condition}; fails the test otherwise. */
    synchronized Map<String, String> await(Predicate<Map<String, String>> condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            Map<String, String> texts = texts();
            if (condition.test(texts)) {
                return texts;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return fail("credential store never had " + what + "; it has " + texts.keySet());
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
