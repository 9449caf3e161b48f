package io.wagateway.api;

/**
 * Facts about this plugin API that plugins can check against.
 */
public final class GatewayApi {

    /**
     * The version of this API, in semantic-versioning form. The host refuses a plugin whose
     * {@code Plugin-Requires} manifest entry does not accept it. Minor versions only add;
     * a major version changes or removes something.
     *
     * <p>1.1.0 added {@link EngineContext#messageReceived(InboundMessage)}, {@link InboundMessage},
     * {@link MessageReceived} and {@link StatusReason#REPLACED}. A plugin that uses them requires
     * {@code >=1.1.0 & <2.0.0}; one built for 1.0.0 ({@code >=1.0.0 & <2.0.0}) still loads.
     *
     * <p>1.2.0 added:
     * <ul>
     *   <li>{@link WhatsAppEngine#actions()} and {@link EngineAction}: the engine describes its
     *       sessions' actions for the admin web UI (older engines declare none and load unchanged).</li>
     *   <li>{@link WhatsAppEngine#verify(PluginConfig)}: the engine checks once, when its plugin is
     *       loaded, that it can run here; failing it marks the plugin {@code FAILED} with its message.</li>
     *   <li>For the durable outbox: {@link GatewayEvent#eventId()} (a UUIDv7 from {@link EventIds},
     *       a new last component of every event record; the earlier constructors remain and draw a
     *       new id), {@link ConfigKey.Type#SECRET}, {@link EventSink#deliver(SinkDelivery)} with
     *       {@link SinkDelivery} (the host-rendered envelope JSON), {@link DeliveryTarget},
     *       {@link EventSink#enabled}, {@link EventSink#targeted()}, {@link EventSink#maxConcurrency()}
     *       and {@link TargetGoneException}. {@link EventSink#deliver(GatewayEvent)} became a default
     *       method, so 1.0/1.1 sinks still load and work unchanged.</li>
     * </ul>
     * A plugin that uses any of them requires {@code >=1.2.0 & <2.0.0}.
     *
     * <p>1.3.0 added {@link EngineContext#callTimeout()}: the host tells an engine the deadline of
     * each call into it (a default method, so contexts written for earlier versions still compile).
     * An engine that calls it requires {@code >=1.3.0 & <2.0.0}.
     *
     * <p>1.4.0 added {@link StatusReason#DELETED}, the reason of the last {@link SessionStatusChanged}
     * of a deleted session. A sink that switches over {@link StatusReason} without a default case
     * should handle it.
     */
    public static final String VERSION = "1.4.0";

    private GatewayApi() {
    }
}
