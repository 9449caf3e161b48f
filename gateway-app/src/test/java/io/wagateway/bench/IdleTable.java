package io.wagateway.bench;

import java.util.List;
import java.util.Locale;

/** Prints the idle bench's rows as a Markdown table (ready for the README) and the gateway's ratios. */
final class IdleTable {

    private IdleTable() {
    }

    static void print(IdleBench.Options o, List<IdleRow> rows) {
        System.out.println();
        System.out.println("=== Idle connections: authenticated websocket clients, one room each, held with pings only ===");
        System.out.printf(Locale.ROOT, "%d clients in %d rooms, opened at %d/s by %d Node process(es), held %d s, "
                        + "then one message (3 events) to every room; %d CPU cores, fd limit per process %s%n",
                o.clients(), o.rooms(), o.rate(), o.workers(), o.hold(), Runtime.getRuntime().availableProcessors(),
                ProcStats.fdLimit(ProcessHandle.current().pid()));
        System.out.println();
        System.out.println("| server | joined | connect s | ping interval / timeout s | alive after hold | disconnects "
                + "| pings per client (min–max) | got the final events | server fds | RSS MiB before → joined → held → "
                + "after GC (peak) | RSS KiB/conn | heap KiB/conn | RSS KiB/conn, no GC |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (IdleRow r : rows) {
            System.out.println(String.format(Locale.ROOT, "| %s | %d | %.1f | %.0f / %.0f | %d | %d | %d–%d | %d | %d "
                            + "| %.0f → %.0f → %.0f → %.0f (%.0f) | %.1f | %.1f | %.1f |", r.server(), r.joined(),
                    r.connectSeconds(), r.pingIntervalMs() / 1000.0, r.pingTimeoutMs() / 1000.0, r.alive(),
                    r.disconnects(), r.pingsMin(), r.pingsMax(), r.gotFinal(), r.fds(), r.rssBeforeMiB(),
                    r.rssJoinedMiB(), r.rssHeldNoGcMiB(), r.rssHeldMiB(), r.peakRssMiB(), r.rssKiBPerConnection(),
                    r.heapKiBPerConnection(), r.rssKiBPerConnectionNoGc()));
        }
        for (IdleRow r : rows) {
            if (r.failed() > 0 || r.disconnects() > 0) {
                System.out.printf("  %s: %d handshakes failed, %d disconnects (first reason: %s)%n", r.server(),
                        r.failed(), r.disconnects(), r.firstDisconnectReason());
            }
        }
        System.out.println("  per connection: growth over the server before the clients, / clients; heap and RSS after a "
                + "full collection at the end of the hold (jcmd GC.run, then GC.heap_info's used heap, for the JVM; gc(), "
                + "then V8's heapUsed, for Node; RSS from /proc/<pid>/status); \"no GC\": RSS at the end of the hold "
                + "before that collection; peak: the highest RSS sampled every 200 ms while connecting and holding");
        if (rows.size() == 2) {
            IdleRow node = rows.get(0);
            IdleRow gateway = rows.get(1);
            System.out.println();
            System.out.println("gateway ÷ Node (goals from issue 12 in brackets):");
            System.out.println(ratio("RSS per connection", gateway.rssKiBPerConnection(), node.rssKiBPerConnection(), "≤ 1.0"));
            System.out.println(ratio("the same, no GC", gateway.rssKiBPerConnectionNoGc(), node.rssKiBPerConnectionNoGc(),
                    "not a goal"));
            System.out.println(ratio("peak RSS", gateway.peakRssMiB(), node.peakRssMiB(), "not a goal"));
            System.out.println(ratio("heap per connection", gateway.heapKiBPerConnection(), node.heapKiBPerConnection(),
                    String.format(Locale.ROOT, "gateway ≤ 8 KiB: %.1f KiB", gateway.heapKiBPerConnection())));
            System.out.printf(Locale.ROOT, "  %-22s gateway %d of %d, Node %d of %d [all]%n", "alive and reached",
                    Math.min(gateway.alive(), gateway.gotFinal()), gateway.clients(), Math.min(node.alive(), node.gotFinal()),
                    node.clients());
        }
    }

    private static String ratio(String what, double gateway, double node, String goal) {
        String value = node == 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", gateway / node);
        return String.format(Locale.ROOT, "  %-22s %s  [%s]", what, value, goal);
    }
}
