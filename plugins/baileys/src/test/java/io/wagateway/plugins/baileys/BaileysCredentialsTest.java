package io.wagateway.plugins.baileys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wagateway.api.CredentialStore;
import io.wagateway.testkit.InMemoryCredentialStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BaileysCredentialsTest {

    private final InMemoryCredentialStore store = new InMemoryCredentialStore();

    @Test
    void namesFitTheStoreAndLongIdsAreHashed() {
        assertEquals("key/pre-key/17", BaileysCredentials.name("pre-key", "17"));
        String longId = "x".repeat(300);
        String hashed = BaileysCredentials.name("sender-key", longId);
        assertTrue(hashed.startsWith("key/sender-key/#") && hashed.length() <= 200, hashed);
        assertEquals(hashed, BaileysCredentials.name("sender-key", longId), "stable");
    }

    @Test
    void nothingStoredMeansLinkAnew() {
        assertNull(BaileysCredentials.load(store, "s").creds());
        store.put("key/pre-key/1", "{\"t\":\"pre-key\",\"id\":\"1\",\"data\":\"k\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(), BaileysCredentials.load(store, "s").keys(), "keys without creds are of no use");
    }

    @Test
    void anotherFormatIsNotRead() {
        BaileysCredentials.saveCreds(store, "{}");
        store.put(BaileysCredentials.FORMAT, "baileys-8/1".getBytes(StandardCharsets.UTF_8));
        assertNull(BaileysCredentials.load(store, "s").creds());
    }

    @Test
    void malformedWritesAndEntriesAreSkipped() {
        BaileysCredentials.saveCreds(store, "{\"me\":{}}");
        Map<String, Object> nullData = new HashMap<>();
        nullData.put("t", "session");
        nullData.put("id", "gone");
        nullData.put("data", null);
        int applied = BaileysCredentials.saveKeys(store, List.of(
                Map.of("t", "pre-key", "id", "1", "data", "\"a\""),
                Map.of("t", "bad/family", "id", "1", "data", "\"a\""),
                Map.of("id", "1", "data", "\"a\""),
                "not an entry",
                nullData));
        assertEquals(2, applied);
        store.put("key/session/broken", "not json".getBytes(StandardCharsets.UTF_8));
        BaileysCredentials.Restored restored = BaileysCredentials.load(store, "s");
        assertEquals("{\"me\":{}}", restored.creds());
        assertEquals(List.of(Map.of("t", "pre-key", "id", "1", "data", "\"a\"")), restored.keys());
    }

    @Test
    void theFormatIsWrittenWithTheFirstCredsNotWithEveryUpdate() {
        List<String> puts = new ArrayList<>();
        CredentialStore counting = new CredentialStore() {
            @Override
            public Optional<byte[]> get(String key) {
                return store.get(key);
            }

            @Override
            public void put(String key, byte[] value) {
                puts.add(key);
                store.put(key, value);
            }

            @Override
            public void remove(String key) {
                store.remove(key);
            }

            @Override
            public Set<String> keys() {
                return store.keys();
            }

            @Override
            public void clear() {
                store.clear();
            }
        };
        BaileysCredentials.saveCreds(counting, "{\"n\":1}");
        BaileysCredentials.saveCreds(counting, "{\"n\":2}");
        BaileysCredentials.saveCreds(counting, "{\"n\":3}");
        assertEquals(List.of("format", "creds", "creds", "creds"), puts);
        assertEquals(Map.of("format", BaileysCredentials.FORMAT_VERSION, "creds", "{\"n\":3}"), store.texts());

        counting.clear(); // logged out: the next link writes it again
        BaileysCredentials.saveCreds(counting, "{\"n\":4}");
        assertEquals(List.of("format", "creds", "creds", "creds", "format", "creds"), puts);
    }
}
