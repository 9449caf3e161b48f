package io.wagateway.plugin;

/** Turns a plugin's exception into one line an administrator can read: no stack trace, no class path. */
public final class Failures {

    private static final int MAX_LENGTH = 500;

    private Failures() {
    }

    /**
     * @return the failure's own message, followed by its root cause when that says something more;
     *         {@code IllegalStateException: boom} for a bare exception
     */
    public static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        // A deadline's message says it all ("TestPlugin.start() did not return within 10s"); its type is ours.
        String rootText = root instanceof PluginCalls.TimedOut ? root.getMessage()
                : root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
        String own = failure.getMessage();
        // Wrappers built from their cause alone (new X(cause)) carry cause.toString() as message: say it once.
        boolean ownSaysNothing = own == null || failure.getCause() != null && own.equals(failure.getCause().toString());
        String text = root == failure || ownSaysNothing ? rootText : own + " (" + rootText + ")";
        return oneLine(text);
    }

    /**
     * Lets through what no plugin isolation can survive (out of memory, internal JVM errors); a plugin's
     * {@link StackOverflowError}, {@link AssertionError} or {@link LinkageError} stays that plugin's failure.
     */
    public static void rethrowIfFatal(Throwable failure) {
        if (failure instanceof VirtualMachineError fatal && !(failure instanceof StackOverflowError)) {
            throw fatal;
        }
    }

    /** @return the text on one line, cut to a length fit for a status page */
    static String oneLine(String text) {
        String line = text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
        return line.length() <= MAX_LENGTH ? line : line.substring(0, MAX_LENGTH - 1) + "…";
    }
}
