package io.wagateway.config;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.config.spi.ConfigSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the configuration: the aliases below first, then any key as an environment variable by
 * Helidon's rule, then a file named by {@code GATEWAY_CONFIG}, then the defaults
 * ({@code config/application.yaml}, packaged on the classpath).
 */
public final class EnvOverrides {

    /**
     * The documented variables Helidon's rule cannot derive, and the keys they set. Helidon maps
     * {@code GATEWAY_DB_URL} to {@code gateway.db.url} ('_' is '.', '__' is '-'), so only a variable
     * whose key is not its own name needs an alias here (measured by {@code EnvAliasesTest}).
     */
    public static final Map<String, String> ALIASES = Map.of(
            "GATEWAY_HTTP_PORT", "server.port",
            "GATEWAY_JWT_SECRET", "gateway.auth.jwt-secret",
            "GATEWAY_RABBITMQ_URI", "gateway.sinks.rabbitmq.uri",
            "GATEWAY_WEBHOOKS_ALLOW_PRIVATE", "gateway.webhooks.allow-private-targets");

    private EnvOverrides() {
    }

    public static Config load(Map<String, String> env, Map<String, String> extra) {
        ConfigSource defaults = ConfigSources.classpath("application.yaml").build();
        Map<String, String> overrides = new HashMap<>();
        ALIASES.forEach((variable, key) -> {
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
                // Any packaged key as GATEWAY_SOCKETIO_PING_INTERVAL and the like: Helidon's rule applied
                // to the variables given (tests hand in their own), then its source for everything else.
                .addSource(ConfigSources.create(derived(env, defaults)))
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
        return builder.addSource(defaults).build();
    }

    /**
     * The packaged keys set by the variables given, by the rule of Helidon's environment source
     * (gateway.data-dir from GATEWAY_DATA_DIR: not a letter or digit is '_', upper case). Its own
     * helper for this is deprecated for removal, hence the one line here.
     */
    private static Map<String, String> derived(Map<String, String> env, ConfigSource defaults) {
        Map<String, String> values = new HashMap<>();
        for (String key : Config.just(defaults).asMap().orElse(Map.of()).keySet()) {
            String value = env.get(key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT));
            if (value != null) {
                values.put(key, value);
            }
        }
        return values;
    }
}
