package io.wagateway.plugins.baileys;

import io.wagateway.api.ConfigKey;
import io.wagateway.api.EngineContext;
import io.wagateway.api.EngineSession;
import io.wagateway.api.WhatsAppEngine;
import java.util.List;
import java.util.function.Function;
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
