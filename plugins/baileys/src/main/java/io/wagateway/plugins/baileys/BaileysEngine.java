package io.wagateway.plugins.baileys;

import io.wagateway.api.ConfigKey;
import io.wagateway.api.EngineContext;
import io.wagateway.api.EngineSession;
import io.wagateway.api.PluginConfig;
import io.wagateway.api.WhatsAppEngine;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Logger;
import org.pf4j.Extension;

/**
 * The {@code baileys} WhatsApp engine: real WhatsApp through a Node.js worker running Baileys 7.
 * Needs Node.js 20 or later on the gateway's machine ({@code gateway.engines.baileys.node}); the
 * worker itself travels inside this plugin's jar. See {@link BaileysSession} for what each session
 * reports and {@link WorkerSupervisor} for how the worker is run.
 *
 * <p>Threading: {@link #open(EngineContext)} may be called from any thread, for several sessions at
 * once; every session of this engine shares one worker.
 */
@Extension
public final class BaileysEngine implements WhatsAppEngine {

    private static final Logger LOG = Logger.getLogger(BaileysEngine.class.getName());

    /** The engine's name, as clients choose it and as its configuration is keyed. */
    public static final String NAME = "baileys";

    private final Function<BaileysSettings, WorkerSupervisor> supervisors;

    /** Called by PF4J: the worker is the bundled one, shared by every session. */
    public BaileysEngine() {
        this(Supervisors::shared);
    }

    /**
     * For tests: sessions use the given supervisor.
     *
     * @param supervisors gives the supervisor for the sessions' settings
     */
    BaileysEngine(Function<BaileysSettings, WorkerSupervisor> supervisors) {
        this.supervisors = supervisors;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<ConfigKey> configKeys() {
        return BaileysSettings.KEYS;
    }

    /**
     * Checks, when the plugin is loaded, what would otherwise fail every session's start: the
     * configuration's ranges, and that the configured {@code node} runs and is Node.js
     * {@value NodeRuntime#MIN_MAJOR} or later ({@code node --version}, given
     * {@link NodeRuntime#VERIFY_TIMEOUT}). Starts no worker.
     *
     * @throws io.wagateway.api.PluginException saying what to install or which key to set; the host
     *                                          then shows the plugin {@code FAILED} with that message
     */
    @Override
    public void verify(PluginConfig config) {
        BaileysSettings settings = BaileysSettings.from(config);
        String version = NodeRuntime.check(settings.node(), NodeRuntime.VERIFY_TIMEOUT);
        LOG.info(() -> "baileys engine: Node.js " + version + " ('" + settings.node() + "')");
    }

    /**
     * Prepares a session; the worker starts (if not running yet) only in {@link EngineSession#start()}.
     *
     * @throws io.wagateway.api.PluginException when the configuration is out of range
     */
    @Override
    public EngineSession open(EngineContext context) {
        BaileysSettings settings = BaileysSettings.from(context.config());
        return new BaileysSession(context, settings, supervisors.apply(settings));
    }
}
