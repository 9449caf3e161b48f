package io.wagateway.config;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.util.Map;

/**
 * Run in a child JVM by {@link EnvAliasesTest} with real environment variables set. Each argument
 * is {@code VARIABLE=key}; prints {@code helidon VARIABLE} when Helidon's environment source alone
 * gives the variable's value at that key, and {@code gateway VARIABLE} when the gateway's
 * configuration (as {@code Main} loads it) does.
 */
public final class EnvProbe {

    private EnvProbe() {
    }

    public static void main(String[] args) {
        Config helidon = Config.just(ConfigSources.environmentVariables());
        Config gateway = EnvOverrides.load(System.getenv(), Map.of());
        for (String arg : args) {
            String variable = arg.substring(0, arg.indexOf('='));
            String key = arg.substring(arg.indexOf('=') + 1);
            String value = System.getenv(variable);
            if (value.equals(helidon.get(key).asString().orElse(null))) {
                System.out.println("helidon " + variable);
            }
            if (value.equals(gateway.get(key).asString().orElse(null))) {
                System.out.println("gateway " + variable);
            }
        }
    }
}
