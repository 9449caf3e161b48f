package io.wagateway.config;

import io.helidon.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How the plugin host runs, read once at start-up.
 *
 * @param dir          the plugins directory; only {@code *.jar} files directly inside it are loaded
 * @param watch        whether jars dropped in, replaced or removed at run time are picked up
 * @param debounce     how long a jar's size and modification time must stay unchanged before it is
 *                     (re)loaded, so a jar still being copied is not read half-written
 * @param startTimeout how long each call the plugin host makes into plugin code while loading may take
 *                     ({@code Plugin.start()}, constructors, {@code name()}, {@code configKeys()}, a
 *                     sink's {@code start()}) before the plugin is given up as {@code FAILED}
 * @param stopTimeout  how long a plugin's or sink's {@code stop()} may take before it is given up
 * @param engineConfig raw configuration of each engine, by engine name ({@code gateway.engines.<name>.*})
 * @param sinkConfig   raw configuration of each sink, by sink name ({@code gateway.sinks.<name>.*})
 */
public record PluginSettings(Path dir, boolean watch, Duration debounce, Duration startTimeout, Duration stopTimeout,
                             Map<String, Map<String, String>> engineConfig,
                             Map<String, Map<String, String>> sinkConfig) {

    /** Checks the values and copies the maps; the defaults live in {@code application.yaml}, not here. */
    public PluginSettings {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(debounce, "debounce");
        if (debounce.isNegative()) {
            throw new IllegalArgumentException("debounce must not be negative: " + debounce);
        }
        positive("start-timeout", startTimeout);
        positive("stop-timeout", stopTimeout);
        engineConfig = copy(engineConfig);
        sinkConfig = copy(sinkConfig);
    }

    /**
     * Reads {@code plugins.dir}, {@code plugins.watch}, {@code plugins.debounce},
     * {@code plugins.start-timeout}, {@code plugins.stop-timeout}, {@code engines.<name>.*} and
     * {@code sinks.<name>.*}.
     *
     * @param gateway the {@code gateway} configuration node
     * @return the settings
     * @throws ConfigException naming the first missing or wrong key
     */
    public static PluginSettings from(Config gateway) {
        ConfigReader plugins = new ConfigReader(gateway).child("plugins");
        Duration debounce = plugins.duration("debounce");
        if (debounce.isNegative()) {
            throw plugins.error("debounce", "must not be negative");
        }
        Duration startTimeout = plugins.duration("start-timeout");
        Duration stopTimeout = plugins.duration("stop-timeout");
        for (var deadline : Map.of("start-timeout", startTimeout, "stop-timeout", stopTimeout).entrySet()) {
            if (deadline.getValue().isZero() || deadline.getValue().isNegative()) {
                throw plugins.error(deadline.getKey(), "must be more than 0");
            }
        }
        return new PluginSettings(Path.of(plugins.string("dir")), plugins.bool("watch"), debounce, startTimeout,
                stopTimeout, byName(gateway.get("engines")), byName(gateway.get("sinks")));
    }

    /** @return the raw configuration of that engine, empty when none is configured */
    public Map<String, String> engineConfig(String name) {
        return engineConfig.getOrDefault(name, Map.of());
    }

    /** @return the raw configuration of that sink, empty when none is configured */
    public Map<String, String> sinkConfig(String name) {
        return sinkConfig.getOrDefault(name, Map.of());
    }

    private static void positive(String key, Duration value) {
        Objects.requireNonNull(value, key);
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(key + " must be more than 0: " + value);
        }
    }

    private static Map<String, Map<String, String>> byName(Config parent) {
        Map<String, Map<String, String>> result = new LinkedHashMap<>();
        for (Config child : parent.asNodeList().orElse(List.of())) {
            // detach() makes the keys relative to the child: "qr-ttl", not "engines.simulator.qr-ttl".
            result.put(child.name(), child.detach().asMap().orElse(Map.of()));
        }
        return result;
    }

    private static Map<String, Map<String, String>> copy(Map<String, Map<String, String>> byName) {
        if (byName == null) {
            return Map.of();
        }
        Map<String, Map<String, String>> result = new LinkedHashMap<>();
        byName.forEach((name, values) -> result.put(name, Map.copyOf(values)));
        return Map.copyOf(result);
    }
}
