package io.wagateway.socket;

import java.net.SocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The log of refused Origins: one line per Origin per minute, so an allow-list that lacks the
 * frontend's origin shows up in the log at once, and a page that keeps retrying (or a client that
 * invents Origins) cannot flood it. At most {@link #MAX_TRACKED} Origins are remembered; beyond
 * that, all others share one line per minute. Synchronized: I/O threads call it concurrently.
 */
final class OriginRefusals {

    private static final Logger LOG = Logger.getLogger(OriginRefusals.class.getName());

    static final Duration WINDOW = Duration.ofMinutes(1);
    static final int MAX_TRACKED = 1024;
    private static final String OTHERS = "";
    private static final int MAX_SHOWN = 200;

    /** When an Origin's line was last written, and how many refusals went unlogged since. */
    private static final class Entry {
        Instant logged;
        long unlogged;
    }

    private final InstantSource clock;
    private final Map<String, Entry> entries = new HashMap<>();

    OriginRefusals(InstantSource clock) {
        this.clock = clock;
    }

    /** Counts a refused handshake and logs its line unless this Origin had one within the window. */
    void refused(String origin, SocketAddress from) {
        line(origin).ifPresent(line -> LOG.warning(line + " (from " + from + ")"));
    }

    /** @return the line to log now, or empty when this Origin was logged within the window */
    synchronized Optional<String> line(String origin) {
        Instant now = clock.instant();
        String key = track(origin, now);
        Entry entry = entries.computeIfAbsent(key, k -> new Entry());
        if (entry.logged != null && now.isBefore(entry.logged.plus(WINDOW))) {
            entry.unlogged++;
            return Optional.empty();
        }
        long earlier = entry.unlogged;
        entry.logged = now;
        entry.unlogged = 0;
        String who = key.equals(OTHERS) ? "more than " + MAX_TRACKED + " distinct Origins, e.g. '" + shown(origin) + "'"
                : "Origin '" + shown(origin) + "'";
        return Optional.of("Socket.IO handshake refused (403) for " + who + ": not in gateway.cors.origins"
                + (earlier > 0 ? "; " + earlier + " more refused since the last line" : ""));
    }

    /** The key to count {@code origin} under: itself, or the shared one once too many are tracked. */
    private String track(String origin, Instant now) {
        if (entries.containsKey(origin) || entries.size() < MAX_TRACKED) {
            return origin;
        }
        entries.values().removeIf(e -> e.unlogged == 0 && !now.isBefore(e.logged.plus(WINDOW)));
        return entries.size() < MAX_TRACKED ? origin : OTHERS;
    }

    /** The Origin as the client sent it, cut short and without control characters (it goes into a log line). */
    private static String shown(String origin) {
        String clean = origin.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > MAX_SHOWN ? clean.substring(0, MAX_SHOWN) + "..." : clean;
    }
}
