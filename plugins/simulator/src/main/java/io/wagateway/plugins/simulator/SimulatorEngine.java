package io.wagateway.plugins.simulator;

import io.wagateway.api.ConfigKey;
import io.wagateway.api.EngineContext;
import io.wagateway.api.EngineSession;
import io.wagateway.api.WhatsAppEngine;
import java.util.List;
import org.pf4j.Extension;

/**
 * The {@code simulator} WhatsApp engine: behaves like WhatsApp's device linking and message acks
 * without any network, for development, demos and tests. Links by the {@code scan} action instead
 * of a phone; see {@link SimulatorSession} for the actions and what each session reports.
 *
 * <p>Threading: stateless apart from the shared timer pool, so {@link #open(EngineContext)} may be
 * called from any thread, for several sessions at once.
 */
@Extension
public final class SimulatorEngine implements WhatsAppEngine {

    /** The engine's name, as clients choose it and as its configuration is keyed. */
    public static final String NAME = "simulator";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<ConfigKey> configKeys() {
        return SimulatorSettings.KEYS;
    }

    /**
     * @throws io.wagateway.api.PluginException when the configuration is out of range, e.g. a
     *                                          {@code failure-rate} outside 0..1
     */
    @Override
    public EngineSession open(EngineContext context) {
        return new SimulatorSession(context, SimulatorSettings.from(context.config()), SimulatorScheduler.get());
    }
}
