package io.wagateway.config;

import io.helidon.config.Config;
import io.wagateway.api.PluginConfig;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Reads typed values from a config node and turns every bad value into a {@link ConfigException}
 * naming the full key. Used only at start-up, to build the settings records.
 */
public final class ConfigReader {

    private final Config node;

    public ConfigReader(Config node) {
        this.node = node;
    }

    public ConfigReader child(String key) {
        return new ConfigReader(node.get(key));
    }

    public String string(String key, String defaultValue) {
        return node.get(key).asString().orElse(defaultValue).strip();
    }

    public int integer(String key, int defaultValue, int min, int max) {
        String raw = string(key, Integer.toString(defaultValue));
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

    public int port(String key, int defaultValue) {
        return integer(key, defaultValue, 0, 65535);
    }

    public boolean bool(String key, boolean defaultValue) {
        String raw = string(key, Boolean.toString(defaultValue));
        if (!raw.equalsIgnoreCase("true") && !raw.equalsIgnoreCase("false")) {
            throw error(key, "must be true or false, not '" + raw + "'");
        }
        return Boolean.parseBoolean(raw);
    }

    public Duration duration(String key, String defaultValue) {
        String raw = string(key, defaultValue);
        try {
            return PluginConfig.parseDuration(raw);
        } catch (IllegalArgumentException e) {
            throw error(key, "must be a duration such as 500ms, 20s, 5m or PT20S, not '" + raw + "'");
        }
    }

    /** A comma-separated list (or a YAML list) of non-empty strings. */
    public List<String> list(String key, String defaultValue) {
        Config child = node.get(key);
        if (child.isList()) {
            return child.asList(String.class).get().stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        }
        return Arrays.stream(string(key, defaultValue).split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    public ConfigException error(String key, String why) {
        String prefix = node.key().toString();
        return new ConfigException(prefix.isEmpty() ? key : prefix + "." + key, why);
    }
}
