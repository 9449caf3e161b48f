package io.wagateway.plugins.baileys;

import io.wagateway.api.PluginException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks that the configured Node.js binary exists and is recent enough to run the worker.
 *
 * <p>Threading: stateless; may be called from any thread. Blocks up to the given timeout.
 */
final class NodeRuntime {

    /** Baileys 7 needs Node.js 20 or later. */
    static final int MIN_MAJOR = 20;

    private static final Pattern VERSION = Pattern.compile("^v?(\\d+)\\.(\\d+)\\.(\\d+)");
    private static final String INSTALL = "install Node.js " + MIN_MAJOR + " or later (e.g. the 'nodejs' package of your"
            + " distribution if it is new enough, or from nodejs.org) on the gateway's machine, or set"
            + " gateway.engines.baileys." + BaileysSettings.NODE + " to the path of such a 'node' binary";

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
            throw new PluginException("The baileys engine needs Node.js, but '" + node + "' cannot be run ("
                    + e.getMessage() + "): " + INSTALL, e);
        }
        String output;
        try (InputStream in = process.getInputStream()) {
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new PluginException("The baileys engine needs Node.js, but '" + node + " --version' did not answer within "
                        + timeout.toMillis() + " ms: " + INSTALL);
            }
            output = new String(in.readNBytes(200), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new PluginException("The baileys engine could not read the answer of '" + node + " --version': " + INSTALL, e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new PluginException("Interrupted while checking the Node.js version", e);
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
            throw new PluginException("The baileys engine needs Node.js, but '" + node + " --version' answered '"
                    + abbreviate(output) + "': " + INSTALL);
        }
        int major = Integer.parseInt(m.group(1));
        String version = m.group(1) + "." + m.group(2) + "." + m.group(3);
        if (major < MIN_MAJOR) {
            throw new PluginException("The baileys engine needs Node.js " + MIN_MAJOR + " or later, but '" + node + "' is "
                    + version + ": " + INSTALL);
        }
        return version;
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }
}
