package io.wagateway.plugins.simulator;

import io.wagateway.api.CredentialStore;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A host's credential store kept in memory; shared between sessions to model a restart. */
final class InMemoryCredentialStore implements CredentialStore {

    private final ConcurrentHashMap<String, byte[]> entries = new ConcurrentHashMap<>();

    @Override
    public Optional<byte[]> get(String key) {
        return Optional.ofNullable(entries.get(key)).map(byte[]::clone);
    }

    @Override
    public void put(String key, byte[] value) {
        entries.put(key, value.clone());
    }

    @Override
    public void remove(String key) {
        entries.remove(key);
    }

    @Override
    public Set<String> keys() {
        return Set.copyOf(entries.keySet());
    }

    @Override
    public void clear() {
        entries.clear();
    }
}
