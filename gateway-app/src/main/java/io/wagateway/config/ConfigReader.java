package io.wagateway.config;

import io.helidon.config.Config;
import io.wagateway.api.PluginConfig;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Reads typed values from a config node and turns every missing or bad value into a
 * {@link ConfigException} naming the full key. Holds no defaults: every default lives once, in
 * {@code config/application.yaml}, packaged on the classpath and read beneath every override.
 * Used only at start-up, to build the settings records.
 */
public final class ConfigReader {

    private final Config node;

    public ConfigReader(Config node) {
        this.node = node;
    }

    public ConfigReader child(String key) {
        return new ConfigReader(node.get(key));
    }

    /** @return the value, stripped; may be empty when the key is set to "" */
    public String string(String key) {
        return node.get(key).asString().map(String::strip)
                .orElseThrow(() -> error(key, "is missing (the packaged application.yaml sets every key; "
                        + "a configuration built without it must set this one)"));
    }

    public int integer(String key, int min, int max) {
        String raw = string(key);
        int value;
        try {
            value = Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw error(key, "must be a whole number, not '" + raw + "'");
        }
        if (value < min || value > max) {
            throw error(key, "must be between " + min + " and " + max + ", not " + value);
        }
        return value;
    }

    public int port(String key) {
        return integer(key, 0, 65535);
    }

    public boolean bool(String key) {
        String raw = string(key);
        if (!raw.equalsIgnoreCase("true") && !raw.equalsIgnoreCase("false")) {
            throw error(key, "must be true or false, not '" + raw + "'");
        }
        return Boolean.parseBoolean(raw);
    }

    public Duration duration(String key) {
        String raw = string(key);
        try {
            return PluginConfig.parseDuration(raw);
        } catch (IllegalArgumentException e) {
            throw error(key, "must be a duration such as 500ms, 20s, 5m or PT20S, not '" + raw + "'");
        }
    }

    /** A comma-separated list (or a YAML list) of non-empty strings. */
    public List<String> list(String key) {
        Config child = node.get(key);
        if (child.isList()) {
            return child.asList(String.class).get().stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        }
        return Arrays.stream(string(key).split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    public ConfigException error(String key, String why) {
        String prefix = node.key().toString();
        return new ConfigException(prefix.isEmpty() ? key : prefix + "." + key, why);
    }
}
