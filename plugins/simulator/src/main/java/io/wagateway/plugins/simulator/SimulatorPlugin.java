package io.wagateway.plugins.simulator;

import org.pf4j.Plugin;

/**
 * The PF4J plugin that carries the {@link SimulatorEngine}.
 *
 * <p>Its only job is cleanup: the engine's timer threads are shared by every simulator session of
 * this plugin, and must not outlive the plugin when it is stopped or unloaded. The host stops every
 * open session of the engine before it stops the plugin, so no session needs the timers then.
 */
public class SimulatorPlugin extends Plugin {

    /** Called by PF4J; the plugin needs no wrapper. */
    public SimulatorPlugin() {
        super();
    }

    @Override
    public void stop() {
        SimulatorScheduler.shutdown();
    }
}
