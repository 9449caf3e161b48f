package io.wagateway.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InMemoryCredentialStoreTest {

    private final InMemoryCredentialStore store = new InMemoryCredentialStore();

    @Test
    void storesReplacesAndRemoves() {
        assertEquals(Optional.empty(), store.get("creds"));
        store.put("creds", new byte[] {1});
        store.put("creds", new byte[] {2});
        store.put("keys", new byte[] {3});
        assertArrayEquals(new byte[] {2}, store.get("creds").orElseThrow());
        assertEquals(Set.of("creds", "keys"), store.keys());

        store.remove("creds");
        store.remove("absent");
        assertEquals(Set.of("keys"), store.keys());
        store.clear();
        assertTrue(store.keys().isEmpty());
    }

    @Test
    void copiesValuesInAndOut() {
        byte[] value = {1, 2};
        store.put("k", value);
        value[0] = 9;
        byte[] read = store.get("k").orElseThrow();
        read[1] = 9;
        assertArrayEquals(new byte[] {1, 2}, store.get("k").orElseThrow());
    }

    @Test
    void refusesWhatTheHostRefuses() {
        String longest = "k".repeat(InMemoryCredentialStore.MAX_KEY_LENGTH);
        store.put(longest, new byte[0]);
        assertEquals(Set.of(longest), store.keys());

        for (String bad : new String[] {null, "", longest + "k"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.put(bad, new byte[0]));
            assertEquals("Credential key must have 1-200 characters", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> store.get(bad));
            assertThrows(IllegalArgumentException.class, () -> store.remove(bad));
        }
        assertThrows(NullPointerException.class, () -> store.put("k", null));
        assertEquals(Set.of(longest), store.keys(), "nothing refused was stored");
    }

    @Test
    void keysIsASnapshot() {
        store.put("a", new byte[0]);
        Set<String> keys = store.keys();
        store.put("b", new byte[0]);
        assertEquals(Set.of("a"), keys);
        assertThrows(UnsupportedOperationException.class, () -> keys.add("c"));
    }

    @Test
    void textsShowEveryEntryAsUtf8SortedByKey() {
        store.put("b", "zwei".getBytes(StandardCharsets.UTF_8));
        store.put("a", "eins ✓".getBytes(StandardCharsets.UTF_8));
        assertEquals("{a=eins ✓, b=zwei}", store.texts().toString());
    }

    @Test
    void awaitReturnsOnceAnotherThreadStoredWhatIsAwaited() throws Exception {
        Thread writer = Thread.ofPlatform().start(() -> {
            store.put("creds", "one".getBytes(StandardCharsets.UTF_8));
            store.put("key/pre-key/1", "two".getBytes(StandardCharsets.UTF_8));
        });
        Map<String, String> seen = store.await(t -> t.containsKey("key/pre-key/1"), "a pre-key");
        assertEquals(Map.of("creds", "one", "key/pre-key/1", "two"), seen);
        writer.join();
        Thread remover = Thread.ofPlatform().start(store::clear);
        assertEquals(Map.of(), store.await(Map::isEmpty, "nothing", Duration.ofSeconds(10)));
        remover.join();
    }

    @Test
    void awaitFailsNamingWhatNeverCame() {
        store.put("creds", new byte[] {1});
        AssertionError e = assertThrows(AssertionError.class,
                () -> store.await(t -> t.containsKey("format"), "the format", Duration.ofMillis(50)));
        assertTrue(e.getMessage().contains("the format") && e.getMessage().contains("[creds]"), e.getMessage());
    }
}
