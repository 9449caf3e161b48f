package io.wagateway.plugin;

import io.wagateway.api.CredentialStore;
import io.wagateway.api.EngineContext;
import io.wagateway.api.MessageStatus;
import io.wagateway.api.PluginConfig;
import io.wagateway.api.StatusReason;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** An engine context that records the facts an engine reports. */
final class TestEngineContext implements EngineContext {

    final List<String> facts = new CopyOnWriteArrayList<>();
    private final String sessionId;
    private final PluginConfig config;
    private final Map<String, byte[]> credentials = new ConcurrentHashMap<>();

    TestEngineContext(String sessionId, PluginConfig config) {
        this.sessionId = sessionId;
        this.config = config;
    }

    @Override
    public String sessionId() {
        return sessionId;
    }

    @Override
    public PluginConfig config() {
        return config;
    }

    @Override
    public CredentialStore credentials() {
        return new CredentialStore() {
            @Override
            public Optional<byte[]> get(String key) {
                return Optional.ofNullable(credentials.get(key));
            }

            @Override
            public void put(String key, byte[] value) {
                credentials.put(key, value);
            }

            @Override
            public void remove(String key) {
                credentials.remove(key);
            }

            @Override
            public Set<String> keys() {
                return Set.copyOf(credentials.keySet());
            }

            @Override
            public void clear() {
                credentials.clear();
            }
        };
    }

    @Override
    public void qrCode(String qrCode, int attempt, Instant expiresAt) {
        facts.add("qr:" + attempt);
    }

    @Override
    public void connected(String phoneNumber, String displayName) {
        facts.add("connected:" + phoneNumber + ":" + displayName);
    }

    @Override
    public void disconnected(StatusReason reason) {
        facts.add("disconnected:" + reason);
    }

    @Override
    public void failed(String message, Throwable cause) {
        facts.add("failed:" + message);
    }

    @Override
    public void messageStatus(String messageId, MessageStatus status, String error) {
        facts.add("status:" + messageId + ":" + status);
    }
}
