package io.wagateway.session;

import io.wagateway.api.CredentialStore;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * An engine session's credential store that stops writing once the session was stopped, logged
 * out or deleted: a late asynchronous write (Baileys saves keys on its own schedule) must not
 * bring back credentials that a logout just deleted, nor leave rows behind a deleted session.
 * Each write checks and writes through the session's {@link CredentialsGate}, so a logout or
 * delete, which closes the gate before it deletes, also waits for a write that was already past
 * its check. A write that outlasted that wait removes what this engine session wrote once it
 * lands: the store is of the engine session's own epoch ({@link CredentialRepository}), so that
 * never touches a new link's entries.
 */
final class GuardedCredentials implements CredentialStore {

    private static final Logger LOG = Logger.getLogger(GuardedCredentials.class.getName());

    private final CredentialStore store;
    private final CredentialsGate gate;
    private final int pass;
    private final BooleanSupplier current;

    /**
     * @param pass    the gate's pass of this engine session, taken when it opened
     * @param current whether this engine session may still write (it may while stopping)
     */
    GuardedCredentials(CredentialStore store, CredentialsGate gate, int pass, BooleanSupplier current) {
        this.store = store;
        this.gate = gate;
        this.pass = pass;
        this.current = current;
    }

    @Override
    public Optional<byte[]> get(String key) {
        return store.get(key);
    }

    @Override
    public void put(String key, byte[] value) {
        write(key, () -> store.put(key, value));
    }

    @Override
    public void remove(String key) {
        write(key, () -> store.remove(key));
    }

    @Override
    public Set<String> keys() {
        return store.keys();
    }

    @Override
    public void clear() {
        write("*", store::clear);
    }

    private void write(String key, Runnable write) {
        if (!gate.write(pass, current, write, this::takeBack)) {
            LOG.fine(() -> "Ignored a credential write (" + key + ") from an engine session that has ended");
        }
    }

    private void takeBack() {
        try {
            store.clear();
        } catch (RuntimeException e) {
            // Unread all the same (an epoch its session has left); removed at the next start.
            LOG.log(Level.WARNING, "Could not remove the credentials an ended engine session wrote late", e);
        }
    }
}
