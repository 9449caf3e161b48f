package io.wagateway.plugins.baileys;

import org.pf4j.Plugin;

/**
 * The PF4J plugin that carries the {@link BaileysEngine}.
 *
 * <p>Its only job is cleanup: the worker process is shared by every baileys session, and must not
 * outlive the plugin when it is stopped or unloaded. The host stops every open session of the engine
 * before it stops the plugin; whatever is still running then is ended here. (Should the whole JVM
 * die, the worker sees its stdin close and exits by itself.)
 */
public class BaileysPlugin extends Plugin {

    /** Called by PF4J; the plugin needs no wrapper. */
    public BaileysPlugin() {
        super();
    }

    @Override
    public void stop() {
        Supervisors.shutdown();
    }
}
