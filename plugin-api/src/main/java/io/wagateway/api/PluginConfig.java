package io.wagateway.api;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A plugin's validated configuration: the declared {@link ConfigKey}s with their configured or
 * default values. Immutable. Read a {@link ConfigKey.Type#SECRET} key with {@link #getString(String)};
 * {@link #toString()} shows only the key names, never a value.
 */
public final class PluginConfig {

    private final Map<String, String> values;

    private PluginConfig(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /**
     * Validates raw values against declared keys and fills in defaults. Keys that are not declared
     * are kept as given (a plugin may read optional extras with {@link #find(String)}).
     *
     * @param keys the declared keys
     * @param raw  the configured values, by key name
     * @return the validated configuration
     * @throws IllegalArgumentException naming the first key whose value is missing or of the wrong type
     */
    public static PluginConfig validate(List<ConfigKey> keys, Map<String, String> raw) {
        Map<String, String> result = new LinkedHashMap<>(raw);
        for (ConfigKey key : keys) {
            String value = raw.get(key.name());
            if (value == null) {
                if (key.required()) {
                    throw new IllegalArgumentException("'" + key.name() + "' is required: " + key.doc());
                }
                value = key.defaultValue();
            }
            try {
                parse(key.type(), value);
            } catch (IllegalArgumentException e) {
                // A secret's value never goes into a message (SECRET parses as text, but keep it so).
                String shown = key.secret() ? "(secret)" : "'" + value + "'";
                throw new IllegalArgumentException("'" + key.name() + "' must be a " + key.type().name().toLowerCase(Locale.ROOT)
                        + " but is " + shown, e);
            }
            result.put(key.name(), value);
        }
        return new PluginConfig(result);
    }

    /**
     * A configuration of exactly these values, without validation (for tests of a plugin).
     *
     * @param values the values by key name
     * @return the configuration
     */
    public static PluginConfig of(Map<String, String> values) {
        return new PluginConfig(values);
    }

    /**
     * @param key the key
     * @return the value, or empty when neither configured nor defaulted
     */
    public Optional<String> find(String key) {
        return Optional.ofNullable(values.get(key));
    }

    /**
     * @param key a declared key
     * @return its text value
     * @throws IllegalArgumentException when it has no value
     */
    public String getString(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("No value for '" + key + "'");
        }
        return v;
    }

    /**
     * Reads a declared {@code LONG} key.
     *
     * @param key the key
     * @return its value
     */
    public long getLong(String key) {
        return (Long) parse(ConfigKey.Type.LONG, getString(key));
    }

    /**
     * Reads a declared {@code DOUBLE} key.
     *
     * @param key the key
     * @return its value
     */
    public double getDouble(String key) {
        return (Double) parse(ConfigKey.Type.DOUBLE, getString(key));
    }

    /**
     * Reads a declared {@code BOOLEAN} key.
     *
     * @param key the key
     * @return its value
     */
    public boolean getBoolean(String key) {
        return (Boolean) parse(ConfigKey.Type.BOOLEAN, getString(key));
    }

    /**
     * Reads a declared {@code DURATION} key.
     *
     * @param key the key
     * @return its value
     */
    public Duration getDuration(String key) {
        return (Duration) parse(ConfigKey.Type.DURATION, getString(key));
    }

    /** @return every value, by key name */
    public Map<String, String> asMap() {
        return values;
    }

    private static Object parse(ConfigKey.Type type, String value) {
        String v = value.trim();
        return switch (type) {
            case STRING, SECRET -> value;
            case LONG -> Long.parseLong(v);
            case DOUBLE -> {
                double d = Double.parseDouble(v);
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    throw new IllegalArgumentException("not a finite number");
                }
                yield d;
            }
            case BOOLEAN -> {
                if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
                    throw new IllegalArgumentException("not true or false");
                }
                yield Boolean.parseBoolean(v);
            }
            case DURATION -> parseDuration(v);
        };
    }

    /**
     * Parses {@code PT20S}, {@code 20s}, {@code 500ms}, {@code 2m}, {@code 1h}, or a bare number of milliseconds.
     *
     * @param text the text
     * @return the duration, never negative
     * @throws IllegalArgumentException when it is none of those forms or negative
     */
    public static Duration parseDuration(String text) {
        String v = text.trim().toLowerCase(Locale.ROOT);
        Duration d;
        try {
            if (v.startsWith("p")) {
                d = Duration.parse(v.toUpperCase(Locale.ROOT));
            } else if (v.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2).trim()));
            } else if (v.endsWith("s")) {
                d = Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1).trim()) * 1000));
            } else if (v.endsWith("m")) {
                d = Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1).trim()) * 60);
            } else if (v.endsWith("h")) {
                d = Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1).trim()));
            } else {
                d = Duration.ofMillis(Long.parseLong(v));
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a duration (use e.g. 500ms, 20s, 2m, PT20S): " + text, e);
        }
        if (d.isNegative()) {
            throw new IllegalArgumentException("negative duration: " + text);
        }
        return d;
    }

    @Override
    public String toString() {
        return "PluginConfig" + values.keySet();
    }
}
