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
     * <p>1.2.0 (durable outbox) added {@link GatewayEvent#eventId()} (a UUIDv7 from {@link EventIds},
     * a new last component of every event record; the earlier constructors remain and draw a new id),
     * {@link ConfigKey.Type#SECRET}, {@link EventSink#deliver(SinkDelivery)} with {@link SinkDelivery}
     * (the host-rendered envelope JSON), {@link DeliveryTarget}, {@link EventSink#enabled},
     * {@link EventSink#targeted()}, {@link EventSink#maxConcurrency()} and
     * {@link TargetGoneException}. {@link EventSink#deliver(GatewayEvent)} became a default method,
     * so 1.0/1.1 sinks still load and work unchanged; a sink that uses the new members requires
     * {@code >=1.2.0 & <2.0.0}.
     */
    public static final String VERSION = "1.2.0";

    private GatewayApi() {
    }
}
