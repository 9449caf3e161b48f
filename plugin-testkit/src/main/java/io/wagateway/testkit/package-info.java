/**
 * In-memory stand-ins for the gateway's side of the plugin API, so a plugin's own tests run its
 * engine or sink without a gateway, a database or PF4J.
 *
 * <ul>
 *   <li>{@link io.wagateway.testkit.RecordingEngineContext} — hand it to
 *       {@link io.wagateway.api.WhatsAppEngine#open}; it records every fact the engine reports
 *       ({@link io.wagateway.testkit.EngineFact}) and lets the test wait for the next one with a
 *       timeout, never a fixed sleep;</li>
 *   <li>{@link io.wagateway.testkit.InMemoryCredentialStore} — a session's credentials, checked
 *       like the host checks them; share one between two contexts to model a gateway restart;</li>
 *   <li>{@link io.wagateway.testkit.TestSinkContext} — hand it to
 *       {@link io.wagateway.api.EventSink#start}.</li>
 * </ul>
 *
 * <p>Take it in test scope ({@code io.wagateway:plugin-testkit}); it depends on {@code plugin-api}
 * only and on no test framework: a failed expectation throws {@link java.lang.AssertionError},
 * which every test framework reports as a failure.
 */
package io.wagateway.testkit;
