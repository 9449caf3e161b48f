package io.wagateway.plugins.baileys;

import io.wagateway.api.PluginException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks that the configured Node.js binary exists and is recent enough to run the worker.
 *
 * <p>Used when the plugin is loaded ({@link BaileysEngine#verify}) and again before the first worker of
 * a supervisor starts, in case the binary went away since.
 *
 * <p>Threading: stateless; may be called from any thread. Blocks up to the given timeout; an interrupt
 * kills the {@code node} process and ends the wait.
 */
final class NodeRuntime {

    /** Baileys 7 needs Node.js 20 or later. */
    static final int MIN_MAJOR = 20;

    /** How long {@code node --version} may take when the plugin is loaded (the host's own deadline is 10 s by default). */
    static final Duration VERIFY_TIMEOUT = Duration.ofSeconds(5);

    private static final Pattern VERSION = Pattern.compile("^v?(\\d+)\\.(\\d+)\\.(\\d+)");
    private static final String NEEDED = "Node.js >= " + MIN_MAJOR + " is needed by the baileys engine";
    /** What to do; the key and its environment variable (Helidon's environment source maps it, see EnvAliasesTest). */
    private static final String INSTALL = "install it (apt-get install nodejs where the distribution's is new enough;"
            + " Debian 12's is 18: then from nodejs.org or NodeSource) or set gateway.engines.baileys." + BaileysSettings.NODE
            + " (env GATEWAY_ENGINES_BAILEYS_NODE) to its path, then restart the gateway or touch the plugin's jar";

    private NodeRuntime() {
    }

    /**
     * Runs {@code node --version} and checks the answer.
     *
     * @param node    the binary, as configured
     * @param timeout how long it may take
     * @return the version, e.g. {@code 20.20.2}
     * @throws PluginException (fatal) saying what to install when the binary is missing, does not
     *                         answer, or is older than {@value #MIN_MAJOR}
     */
    static String check(String node, Duration timeout) {
        Process process;
        try {
            process = new ProcessBuilder(node, "--version").redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new PluginException(NEEDED + ", but '" + node + "' " + whyNotRun(node, e) + ": " + INSTALL, e);
        }
        String output;
        try (InputStream in = process.getInputStream()) {
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new PluginException(NEEDED + ", but '" + node + " --version' did not answer within "
                        + timeout.toMillis() + " ms: " + INSTALL);
            }
            // Only what is there: a child that inherited the pipe and lives on must not hold this thread.
            output = new String(in.readNBytes(Math.min(in.available(), 200)), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new PluginException(NEEDED + ", but the answer of '" + node + " --version' cannot be read ("
                    + e.getMessage() + "): " + INSTALL, e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new PluginException("Interrupted while checking the Node.js version of '" + node + "'", e);
        }
        return requireSupported(node, output);
    }

    /**
     * @param node   the binary, for the message
     * @param output what {@code node --version} printed
     * @return the version without its {@code v}
     * @throws PluginException saying what to install when it is not a supported version
     */
    static String requireSupported(String node, String output) {
        Matcher m = VERSION.matcher(output == null ? "" : output.strip());
        if (!m.find()) {
            throw new PluginException(NEEDED + ", but '" + node + " --version' answered '" + abbreviate(output) + "': "
                    + INSTALL);
        }
        int major = Integer.parseInt(m.group(1));
        String version = m.group(1) + "." + m.group(2) + "." + m.group(3);
        if (major < MIN_MAJOR) {
            throw new PluginException(NEEDED + ", but '" + node + "' is " + version + ": " + INSTALL);
        }
        return version;
    }

    /** Says it plainly where it can: Java's own message differs by JDK and launch mechanism. */
    private static String whyNotRun(String node, IOException e) {
        if (node.contains(File.separator)) {
            Path path = Path.of(node);
            if (!Files.exists(path)) {
                return "does not exist";
            }
            if (Files.isDirectory(path) || !Files.isExecutable(path)) {
                return "is not an executable file";
            }
        } else if (!onPath(node)) {
            return "is not on the gateway's PATH";
        }
        return "cannot be run (" + e.getMessage() + ")";
    }

    private static boolean onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return true;
            }
        }
        return false;
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }
}
