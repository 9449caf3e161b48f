package io.wagateway;

import java.util.logging.LogManager;

/**
 * The JDK's LogManager resets (closes) every handler in a shutdown hook of its own, which races the
 * gateway's shutdown hook: what the gateway logs while stopping would be lost. This one ignores that
 * reset; the console handler flushes each record anyway. Selected with
 * {@code -Djava.util.logging.manager=io.wagateway.GatewayLogManager} (the launcher sets it).
 */
public final class GatewayLogManager extends LogManager {

    @Override
    public void reset() {
        if (!isShutdownHookResetting()) {
            super.reset();
        }
    }

    private static boolean isShutdownHookResetting() {
        // The JDK calls reset() from its "Cleaner" shutdown hook thread; configuration calls come from elsewhere.
        return StackWalker.getInstance().walk(frames -> frames.anyMatch(
                f -> f.getClassName().startsWith("java.util.logging.LogManager$Cleaner")));
    }
}
