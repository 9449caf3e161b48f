package io.wagateway.testing;

import io.wagateway.config.PluginSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Plugin-host settings for tests that are not about deadlines: generous ones, for a loaded machine. */
public final class TestPluginSettings {

    public static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private TestPluginSettings() {
    }

    public static PluginSettings of(Path dir, boolean watch, Duration debounce,
                                    Map<String, Map<String, String>> engineConfig,
                                    Map<String, Map<String, String>> sinkConfig) {
        return new PluginSettings(dir, watch, debounce, START_TIMEOUT, STOP_TIMEOUT, engineConfig, sinkConfig);
    }
}
