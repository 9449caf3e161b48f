package io.wagateway.config;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds the configuration: the documented environment variables first, then any key as an
 * environment variable, then a file named by {@code GATEWAY_CONFIG}, then the defaults
 * ({@code config/application.yaml}, packaged on the classpath).
 */
public final class EnvOverrides {

    /** The documented variables and the keys they set. */
    public static final Map<String, String> VARIABLES = Map.ofEntries(
            Map.entry("GATEWAY_HTTP_PORT", "server.port"),
            Map.entry("GATEWAY_SOCKETIO_PORT", "gateway.socketio.port"),
            Map.entry("GATEWAY_DATA_DIR", "gateway.data-dir"),
            Map.entry("GATEWAY_DB_URL", "gateway.db.url"),
            Map.entry("GATEWAY_DB_USER", "gateway.db.user"),
            Map.entry("GATEWAY_DB_PASSWORD", "gateway.db.password"),
            Map.entry("GATEWAY_ADMIN_USERNAME", "gateway.admin.username"),
            Map.entry("GATEWAY_ADMIN_PASSWORD", "gateway.admin.password"),
            Map.entry("GATEWAY_JWT_SECRET", "gateway.auth.jwt-secret"),
            Map.entry("GATEWAY_PLUGINS_DIR", "gateway.plugins.dir"),
            Map.entry("GATEWAY_CORS_ORIGINS", "gateway.cors.origins"));

    private EnvOverrides() {
    }

    public static Config load(Map<String, String> env, Map<String, String> extra) {
        Map<String, String> overrides = new HashMap<>();
        VARIABLES.forEach((variable, key) -> {
            String value = env.get(variable);
            if (value != null) {
                overrides.put(key, value);
            }
        });
        overrides.putAll(extra);
        var builder = Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .addSource(ConfigSources.create(overrides))
                // Any other key as GATEWAY_SOCKETIO_PING_INTERVAL and the like (Helidon's mapping).
                .addSource(ConfigSources.environmentVariables())
                .addSource(ConfigSources.systemProperties());
        String file = env.get("GATEWAY_CONFIG");
        if (file != null && !file.isBlank()) {
            Path path = Path.of(file);
            if (!Files.isReadable(path)) {
                throw new ConfigException("GATEWAY_CONFIG", "cannot read " + path);
            }
            builder.addSource(ConfigSources.file(path));
        }
        return builder.addSource(ConfigSources.classpath("application.yaml")).build();
    }
}
