package io.wagateway.session;

import io.wagateway.api.CredentialStore;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * An engine session's credential store that stops writing once the session was stopped, logged
 * out or deleted: a late asynchronous write (Baileys saves keys on its own schedule) must not
 * bring back credentials that a logout just deleted, nor leave rows behind a deleted session.
 */
final class GuardedCredentials implements CredentialStore {

    private static final Logger LOG = Logger.getLogger(GuardedCredentials.class.getName());

    private final CredentialStore store;
    private final BooleanSupplier current;

    GuardedCredentials(CredentialStore store, BooleanSupplier current) {
        this.store = store;
        this.current = current;
    }

    @Override
    public Optional<byte[]> get(String key) {
        return store.get(key);
    }

    @Override
    public void put(String key, byte[] value) {
        if (writable(key)) {
            store.put(key, value);
        }
    }

    @Override
    public void remove(String key) {
        if (writable(key)) {
            store.remove(key);
        }
    }

    @Override
    public Set<String> keys() {
        return store.keys();
    }

    @Override
    public void clear() {
        if (writable("*")) {
            store.clear();
        }
    }

    private boolean writable(String key) {
        if (current.getAsBoolean()) {
            return true;
        }
        LOG.fine(() -> "Ignored a credential write (" + key + ") from an engine session that has ended");
        return false;
    }
}
