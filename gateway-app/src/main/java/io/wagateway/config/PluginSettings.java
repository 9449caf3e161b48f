package io.wagateway.config;

import io.helidon.config.Config;
import io.wagateway.api.PluginConfig;
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

    /** The debounce used when none is configured. */
    public static final Duration DEFAULT_DEBOUNCE = Duration.ofMillis(300);
    /** The start deadline used when none is configured. */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(10);
    /** The stop deadline used when none is configured. */
    public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(5);

    /** Validates the directory and the durations, defaults the rest and copies the maps. */
    public PluginSettings {
        Objects.requireNonNull(dir, "dir");
        debounce = debounce == null ? DEFAULT_DEBOUNCE : debounce;
        if (debounce.isNegative()) {
            throw new IllegalArgumentException("debounce must not be negative: " + debounce);
        }
        startTimeout = positive("start-timeout", startTimeout, DEFAULT_START_TIMEOUT);
        stopTimeout = positive("stop-timeout", stopTimeout, DEFAULT_STOP_TIMEOUT);
        engineConfig = copy(engineConfig);
        sinkConfig = copy(sinkConfig);
    }

    /** Settings with the default deadlines. */
    public PluginSettings(Path dir, boolean watch, Duration debounce, Map<String, Map<String, String>> engineConfig,
                          Map<String, Map<String, String>> sinkConfig) {
        this(dir, watch, debounce, null, null, engineConfig, sinkConfig);
    }

    /**
     * Reads {@code plugins.dir} (default {@code ./plugins}), {@code plugins.watch} (default true),
     * {@code plugins.debounce} (default 300ms), {@code plugins.start-timeout} (default 10s),
     * {@code plugins.stop-timeout} (default 5s), {@code engines.<name>.*} and {@code sinks.<name>.*}.
     *
     * @param gateway the {@code gateway} configuration node
     * @return the settings
     */
    public static PluginSettings from(Config gateway) {
        Config plugins = gateway.get("plugins");
        return new PluginSettings(
                Path.of(plugins.get("dir").asString().orElse("./plugins")),
                plugins.get("watch").asBoolean().orElse(true),
                plugins.get("debounce").asString().map(PluginConfig::parseDuration).orElse(DEFAULT_DEBOUNCE),
                plugins.get("start-timeout").asString().map(PluginConfig::parseDuration).orElse(DEFAULT_START_TIMEOUT),
                plugins.get("stop-timeout").asString().map(PluginConfig::parseDuration).orElse(DEFAULT_STOP_TIMEOUT),
                byName(gateway.get("engines")),
                byName(gateway.get("sinks")));
    }

    /** @return the raw configuration of that engine, empty when none is configured */
    public Map<String, String> engineConfig(String name) {
        return engineConfig.getOrDefault(name, Map.of());
    }

    /** @return the raw configuration of that sink, empty when none is configured */
    public Map<String, String> sinkConfig(String name) {
        return sinkConfig.getOrDefault(name, Map.of());
    }

    private static Duration positive(String key, Duration value, Duration defaultValue) {
        Duration result = value == null ? defaultValue : value;
        if (result.isNegative() || result.isZero()) {
            throw new IllegalArgumentException(key + " must be more than 0: " + result);
        }
        return result;
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
