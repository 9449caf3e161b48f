package io.wagateway.plugins.simulator;

import io.wagateway.api.ConfigKey;
import io.wagateway.api.EngineAction;
import io.wagateway.api.EngineAction.Param;
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

    /** The actions of {@link SimulatorSession#action}, as the admin web UI shows them. */
    static final List<EngineAction> ACTIONS = List.of(
            new EngineAction("scan", "Simulate scan", "Links the account while a QR code is pending, as a phone scanning it would.",
                    List.of(new Param("phoneNumber", "Phone number", "+6281234567890", true),
                            new Param("displayName", "Display name", "John Doe", true))),
            new EngineAction("phone-logout", "Simulate phone logout",
                    "While connected: the device is unlinked on the phone; credentials are cleared.", List.of()),
            new EngineAction("drop-connection", "Drop the connection",
                    "While connected: the network drops; the gateway reconnects without a scan.", List.of()),
            new EngineAction("receive", "Simulate incoming message", "While connected: a text message arrives.",
                    List.of(new Param("from", "From (phone number)", "+6289876543210", true),
                            new Param("text", "Text", "Hello", true),
                            new Param("fromName", "Sender name", "Jane", false))),
            new EngineAction("crash", "Simulate engine crash",
                    "While running: the engine fails; the gateway retries with backoff.",
                    List.of(new Param("message", "Message", "Simulated engine crash", false))));

    @Override
    public List<EngineAction> actions() {
        return ACTIONS;
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
