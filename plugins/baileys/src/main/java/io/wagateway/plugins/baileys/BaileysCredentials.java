package io.wagateway.plugins.baileys;

import io.wagateway.api.CredentialStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * How a session's Baileys state lives in the host's {@link CredentialStore} (never in files):
 * <ul>
 *   <li>{@value #CREDS}: Baileys' {@code creds} as the worker serialised them (JSON with its
 *       {@code BufferJSON} encoding of binary fields), opaque here;</li>
 *   <li>{@value #FORMAT}: {@value #FORMAT_VERSION}, so a later plugin can tell old entries apart;</li>
 *   <li>one entry per signal key, named {@code key/<family>/<id>} (families {@code pre-key},
 *       {@code session}, {@code sender-key}, {@code sender-key-memory}, {@code app-state-sync-key},
 *       {@code app-state-sync-version}, {@code lid-mapping}, {@code device-list}, {@code tctoken}, and
 *       any other Baileys asks for), whose value is {@code {"t":family,"id":id,"data":serialised value}}.
 *       A name longer than the store allows is shortened to {@code key/<family>/#<sha-256 of the id>};
 *       the id itself is always inside the value.</li>
 * </ul>
 *
 * <p>Threading: stateless; the store's calls block, so call from the engine's own threads or from
 * {@link io.wagateway.api.EngineSession#start()}.
 */
final class BaileysCredentials {

    private static final Logger LOG = Logger.getLogger(BaileysCredentials.class.getName());

    static final String CREDS = "creds";
    static final String FORMAT = "format";
    static final String FORMAT_VERSION = "baileys-7/1";
    static final String KEY_PREFIX = "key/";
    /** The longest entry name {@link CredentialStore#put} accepts. */
    static final int MAX_NAME = 200;

    /**
     * What a worker needs to resume a session.
     *
     * @param creds the serialised creds, or null to link anew
     * @param keys  every stored key as {@code {t, id, data}}
     */
    record Restored(String creds, List<Map<String, Object>> keys) {
    }

    private BaileysCredentials() {
    }

    /**
     * Reads everything stored for a session.
     *
     * @param store     the session's store
     * @param sessionId for log messages
     * @return the creds and keys; empty creds when nothing (or nothing readable) is stored
     */
    static Restored load(CredentialStore store, String sessionId) {
        Optional<String> format = store.get(FORMAT).map(BaileysCredentials::text);
        Optional<String> creds = store.get(CREDS).map(BaileysCredentials::text);
        if (creds.isEmpty()) {
            return new Restored(null, List.of());
        }
        if (format.isPresent() && !FORMAT_VERSION.equals(format.get())) {
            LOG.warning("Baileys session " + sessionId + ": stored credentials are in format '" + format.get()
                    + "', not " + FORMAT_VERSION + ": linking anew");
            return new Restored(null, List.of());
        }
        List<Map<String, Object>> keys = new ArrayList<>();
        Set<String> names = store.keys();
        for (String name : names) {
            if (!name.startsWith(KEY_PREFIX)) {
                continue;
            }
            Optional<byte[]> value = store.get(name);
            if (value.isEmpty()) {
                continue; // removed meanwhile
            }
            try {
                Map<String, Object> entry = Json.parseObject(text(value.get()));
                if (entry.get("t") instanceof String && entry.get("id") instanceof String && entry.get("data") instanceof String) {
                    keys.add(Map.of("t", entry.get("t"), "id", entry.get("id"), "data", entry.get("data")));
                    continue;
                }
            } catch (IllegalArgumentException e) {
                // logged below
            }
            LOG.warning("Baileys session " + sessionId + ": skipped an unreadable stored key '" + name + "'");
        }
        return new Restored(creds.get(), keys);
    }

    /**
     * Stores the creds the worker reported, and the format entry when it is not already this one.
     *
     * @param store the session's store
     * @param creds the serialised creds
     */
    static void saveCreds(CredentialStore store, String creds) {
        // Baileys updates its creds often; the format changes only with the plugin: one read, not a write.
        if (!store.get(FORMAT).map(BaileysCredentials::text).filter(FORMAT_VERSION::equals).isPresent()) {
            store.put(FORMAT, FORMAT_VERSION.getBytes(StandardCharsets.UTF_8));
        }
        store.put(CREDS, creds.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Applies one batch of key writes the worker reported: a {@code data} of null removes the key.
     *
     * @param store the session's store
     * @param set   the batch, entries {@code {t, id, data}}
     * @return how many entries were applied (malformed ones are skipped)
     */
    static int saveKeys(CredentialStore store, List<?> set) {
        int applied = 0;
        for (Object item : set) {
            if (!(item instanceof Map<?, ?> entry) || !(entry.get("t") instanceof String family)
                    || !(entry.get("id") instanceof String id) || family.isEmpty() || family.contains("/")) {
                continue;
            }
            String name = name(family, id);
            if (entry.get("data") instanceof String data) {
                Map<String, Object> stored = new LinkedHashMap<>();
                stored.put("t", family);
                stored.put("id", id);
                stored.put("data", data);
                store.put(name, Json.write(stored).getBytes(StandardCharsets.UTF_8));
            } else {
                store.remove(name);
            }
            applied++;
        }
        return applied;
    }

    /**
     * @param family the key family, e.g. {@code pre-key}
     * @param id     the key's id within it
     * @return the entry's name, at most {@value #MAX_NAME} characters
     */
    static String name(String family, String id) {
        String name = KEY_PREFIX + family + "/" + id;
        if (name.length() <= MAX_NAME) {
            return name;
        }
        return KEY_PREFIX + family + "/#" + WorkerBundle.sha256(id.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
