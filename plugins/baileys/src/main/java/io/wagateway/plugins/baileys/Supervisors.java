package io.wagateway.plugins.baileys;

import java.util.logging.Logger;

/**
 * The one {@link WorkerSupervisor} of this plugin, created with the first session and closed when
 * the plugin stops ({@link BaileysPlugin#stop()}), so no worker process outlives the plugin.
 *
 * <p>Threading: synchronized; any thread.
 */
final class Supervisors {

    private static final Logger LOG = Logger.getLogger(Supervisors.class.getName());

    private static WorkerSupervisor shared;
    private static BaileysSettings sharedSettings;

    private Supervisors() {
    }

    /**
     * @param settings the opening session's settings; the first ones configure the worker
     * @return the shared supervisor
     */
    static synchronized WorkerSupervisor shared(BaileysSettings settings) {
        if (shared == null) {
            shared = new WorkerSupervisor(WorkerLauncher.bundled(settings), settings);
            sharedSettings = settings;
        } else if (!settings.equals(sharedSettings)) {
            LOG.warning("Baileys sessions with different settings share one worker; it keeps the settings it started with: "
                    + sharedSettings);
        }
        return shared;
    }

    /** Ends the worker; a later session starts a new supervisor. */
    static synchronized void shutdown() {
        if (shared != null) {
            shared.close();
            shared = null;
            sharedSettings = null;
        }
    }
}
