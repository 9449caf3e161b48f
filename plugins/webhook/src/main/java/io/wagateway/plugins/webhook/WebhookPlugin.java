package io.wagateway.plugins.webhook;

import org.pf4j.Plugin;

/** The PF4J plugin that carries the {@link WebhookSink}; it holds nothing of its own. */
public class WebhookPlugin extends Plugin {

    /** Called by PF4J. */
    public WebhookPlugin() {
        super();
    }
}
