/**
 * The WhatsApp Gateway plugin API: the only package a plugin compiles against.
 *
 * <p>Two extension points exist:
 * <ul>
 *   <li>{@link io.wagateway.api.WhatsAppEngine} — a worker backend that links WhatsApp accounts
 *       (QR codes, connection status) and sends messages;</li>
 *   <li>{@link io.wagateway.api.EventSink} — receives every {@link io.wagateway.api.GatewayEvent},
 *       at least once and in order per session (webhooks, brokers).</li>
 * </ul>
 *
 * <p>A plugin is a PF4J plugin jar dropped into the gateway's {@code plugins/} directory. Its
 * manifest names {@code Plugin-Id}, {@code Plugin-Class}, {@code Plugin-Version} and
 * {@code Plugin-Requires} (the API version range it was built for, e.g. {@code >=1.0.0 & <2.0.0};
 * see {@link io.wagateway.api.GatewayApi#VERSION}). It depends on this module and on PF4J as
 * {@code provided} and bundles only its own private libraries.
 *
 * <p>Only JDK types appear here: no Helidon, Netty, Jackson or JDBC type reaches a plugin.
 */
package io.wagateway.api;
