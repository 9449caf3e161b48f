package io.wagateway.plugins.baileys;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What a worker says for the log, its {@code log} events and its stderr, written to
 * {@link Worker#WORKER_LOG} by session, so the worker's own words are kept apart from ours.
 */
final class WorkerLog {

    /** Worker's logger, for what goes wrong with the reading itself. */
    private static final Logger LOG = Logger.getLogger(Worker.class.getName());

    private WorkerLog() {
    }

    /** Logs a {@code log} event at the level it names. */
    static void event(long pid, Map<String, Object> event) {
        Level level = switch (String.valueOf(event.get("level"))) {
            case "trace", "debug" -> Level.FINE;
            case "info" -> Level.INFO;
            case "error", "fatal" -> Level.SEVERE;
            default -> Level.WARNING;
        };
        if (Worker.WORKER_LOG.isLoggable(level)) {
            Object session = event.get("sessionId");
            Worker.WORKER_LOG.log(level, "Baileys worker " + pid + (session instanceof String s ? ", session " + s : "") + ": "
                    + event.get("msg"));
        }
    }

    /** The stderr reader thread: logs every line until the stream ends. */
    static void readStderr(long pid, InputStream stderr) {
        try (BufferedReader err = new BufferedReader(new InputStreamReader(stderr, StandardCharsets.UTF_8))) {
            String line;
            while ((line = err.readLine()) != null) {
                if (!line.isBlank()) {
                    logStderr(pid, line);
                }
            }
        } catch (IOException e) {
            LOG.log(Level.FINE, "Baileys worker " + pid + ": stderr closed", e);
        }
    }

    /** Logs a stderr line; a leading {@code [sessionId]} names the session. */
    static void logStderr(long pid, String line) {
        String session = null;
        String text = line;
        if (line.startsWith("[")) {
            int end = line.indexOf("] ");
            if (end > 1) {
                session = line.substring(1, end);
                text = line.substring(end + 2);
            }
        }
        Worker.WORKER_LOG.warning("Baileys worker " + pid + (session == null ? "" : ", session " + session) + " (stderr): " + abbreviate(text));
    }

    /** Cuts a long line for the log, saying how long it was. */
    static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "… (" + s.length() + " characters)";
    }
}
