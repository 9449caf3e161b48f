package io.wagateway.testkit;

import io.wagateway.api.ConfigKey;
import io.wagateway.api.PluginConfig;
import io.wagateway.api.SinkContext;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link SinkContext} holding a fixed configuration, to hand to {@link io.wagateway.api.EventSink#start(SinkContext)}.
 *
 * @param config the sink's configuration
 */
public record TestSinkContext(PluginConfig config) implements SinkContext {

    /** Validates that the configuration is present. */
    public TestSinkContext {
        Objects.requireNonNull(config, "config");
    }

    /**
     * Validates the values against the sink's declared keys, as the host does before
     * {@link io.wagateway.api.EventSink#start}, and fills in the defaults: {@code validated(sink.configKeys(), values)}.
     *
     * @param keys   the sink's {@link io.wagateway.api.EventSink#configKeys()}
     * @param values the configured values by key name
     * @return a context with the validated configuration
     * @throws IllegalArgumentException naming the first key whose value is missing or of the wrong type
     */
    public static TestSinkContext validated(List<ConfigKey> keys, Map<String, String> values) {
        return new TestSinkContext(PluginConfig.validate(keys, values));
    }

    /** @return a context with no configuration at all (no {@link ConfigKey} is validated) */
    public static TestSinkContext empty() {
        return new TestSinkContext(PluginConfig.of(Map.of()));
    }
}
