package io.wagateway.plugin;

/** Engine plugins for tests, compiled from source: each session runs the given Java statements as its calls' bodies. */
final class TestEngines {

    private TestEngines() {
    }

    /**
     * An engine whose sessions run {@code start}, {@code stop} (also for logout) and {@code send}
     * as their bodies. They see {@code context} and, in {@code send}, {@code m}; and the engine's
     * {@code FIRST} (true once), {@code SENDS} (a counter) and {@code hang()} (blocks for good, deaf
     * to interrupts, as a badly written engine would).
     */
    static TestPluginJars.Builder engine(String name, String start, String stop, String send) {
        return engine(name, start, stop, send, "throw new ActionException(ActionException.Kind.UNKNOWN_ACTION, a);");
    }

    /** As {@link #engine(String, String, String, String)}, with {@code action} as the body of its sessions' actions (given {@code a} and {@code p}). */
    static TestPluginJars.Builder engine(String name, String start, String stop, String send, String action) {
        String fqcn = "testplugins." + name + ".Engine";
        return TestPluginJars.plugin(name).source(fqcn, """
                package testplugins.%s;
                import io.wagateway.api.*;
                @org.pf4j.Extension
                public class Engine implements WhatsAppEngine {
                    static final java.util.concurrent.atomic.AtomicBoolean FIRST = new java.util.concurrent.atomic.AtomicBoolean(true);
                    static final java.util.concurrent.atomic.AtomicInteger SENDS = new java.util.concurrent.atomic.AtomicInteger();
                    @Override public String name() { return "%s"; }
                    @Override public EngineSession open(EngineContext context) {
                        return new EngineSession() {
                            @Override public void start() { %s }
                            @Override public void stop() { %s }
                            @Override public void logout() { %s }
                            @Override public void send(OutgoingMessage m) { %s }
                            @Override public java.util.Map<String, Object> action(String a, java.util.Map<String, Object> p) { %s }
                        };
                    }
                    static void hang() {
                        while (true) {
                            try { Thread.sleep(60_000); } catch (InterruptedException e) { }
                        }
                    }
                }
                """.formatted(name, name, start, stop, stop, send, action)).extension(fqcn);
    }
}
