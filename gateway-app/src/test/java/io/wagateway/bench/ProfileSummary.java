package io.wagateway.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * The top costs of a JFR recording of the gateway ({@code --jfr}): its CPU samples
 * ({@code jdk.ExecutionSample}) within the measured load, each put in the first area, in the order
 * below, that any frame of its stack belongs to (above {@code EventBus.publish}, when the sample is
 * an event listener's), then the hottest methods of the two largest areas.
 */
final class ProfileSummary {

    private static final String PUBLISH = "io.wagateway.event.EventBus.publish";

    /** Areas by package prefix; the first that matches a sample's stack takes it. */
    private static final Map<String, List<String>> AREAS = new LinkedHashMap<>();

    static {
        AREAS.put("persistence (H2, JDBC pool, io.wagateway.store)", List.of("org.h2.", "com.zaxxer.hikari.",
                "org.mariadb.", "io.wagateway.store."));
        // The token's checks only: the auth filters wrap the whole request, its handler included.
        AREAS.put("token checks (JWT HMAC)", List.of("io.wagateway.auth.TokenService.",
                "io.wagateway.auth.CurrentTokenVerifier.", "io.helidon.security.jwt.", "com.sun.crypto.provider.Hmac"));
        AREAS.put("Socket.IO fan-out (netty-socketio, io.wagateway.socket)", List.of("com.corundumstudio.",
                "io.wagateway.socket."));
        AREAS.put("REST (Helidon)", List.of("io.helidon."));
        AREAS.put("Netty I/O", List.of("io.netty."));
        AREAS.put("sessions, engines (io.wagateway.session, plugins)", List.of("io.wagateway.session.",
                "io.wagateway.plugin.", "io.wagateway.plugins."));
    }

    private ProfileSummary() {
    }

    static void print(Path jfr, Instant from, Instant to) throws IOException {
        Map<String, Integer> byArea = new LinkedHashMap<>();
        Map<String, Map<String, Integer>> topMethods = new LinkedHashMap<>();
        Map<String, Integer> persistenceCallers = new TreeMap<>();
        int total = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null
                    || e.getStartTime().isBefore(from) || e.getStartTime().isAfter(to)) {
                continue;
            }
            List<String> frames = e.getStackTrace().getFrames().stream().map(ProfileSummary::name).toList();
            String area = area(frames);
            total++;
            byArea.merge(area, 1, Integer::sum);
            topMethods.computeIfAbsent(area, a -> new LinkedHashMap<>()).merge(frames.getFirst(), 1, Integer::sum);
            if (area.startsWith("persistence")) {
                frames.stream().filter(f -> f.startsWith("io.wagateway.") && !f.startsWith("io.wagateway.store."))
                        .findFirst().ifPresent(caller -> persistenceCallers.merge(caller, 1, Integer::sum));
            }
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "=== Gateway profile (%s): %d CPU samples during the measured load ===%n", jfr, total);
        if (total == 0) {
            return;
        }
        int all = total;
        Function<Integer, String> pct = n -> String.format(Locale.ROOT, "%5.1f%%", 100.0 * n / all);
        sorted(byArea).forEach(a -> System.out.println("  " + pct.apply(a.getValue()) + "  " + a.getKey()));
        sorted(byArea).stream().limit(2).forEach(area -> {
            System.out.println("  hottest methods in " + area.getKey() + ":");
            sorted(topMethods.get(area.getKey())).stream().limit(6)
                    .forEach(m -> System.out.println("    " + pct.apply(m.getValue()) + "  " + m.getKey()));
        });
        if (!persistenceCallers.isEmpty()) {
            System.out.println("  persistence by the gateway code that called it:");
            sorted(persistenceCallers).stream().limit(6)
                    .forEach(m -> System.out.println("    " + pct.apply(m.getValue()) + "  " + m.getKey()));
        }
    }

    private static List<Map.Entry<String, Integer>> sorted(Map<String, Integer> counts) {
        return counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .collect(Collectors.toList());
    }

    private static String area(List<String> stack) {
        // What an event's listeners do counts as theirs, not as their publisher's (the database
        // writer publishes message status changes): only the frames above the publish.
        int publish = stack.indexOf(PUBLISH);
        List<String> frames = publish < 0 ? stack : stack.subList(0, publish);
        for (Map.Entry<String, List<String>> area : AREAS.entrySet()) {
            for (String frame : frames) {
                for (String prefix : area.getValue()) {
                    if (frame.startsWith(prefix)) {
                        return area.getKey();
                    }
                }
            }
        }
        return "other (JVM, GC threads' Java part, JDK)";
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }
}
