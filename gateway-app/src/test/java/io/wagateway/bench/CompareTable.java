package io.wagateway.bench;

import java.util.List;
import java.util.Locale;

/** Prints the side-by-side rows as a Markdown table (ready for the README) and the gateway's ratios. */
final class CompareTable {

    private CompareTable() {
    }

    static void print(CompareBench.Options o, List<CompareRow> rows) {
        System.out.println();
        System.out.println("=== End-to-end fan-out: POST /messages -> 3 acks 50 ms apart -> message_status_updated to the room ===");
        System.out.printf(Locale.ROOT, "%d %s clients in %d rooms (%d per room), %d sends/s for %d s after %d s warm-up rising to %d sends/s, "
                        + "%d CPU cores shared by servers and load generators%n",
                o.clients(), o.transport(), o.rooms(), o.clients() / o.rooms(), o.rate(), o.seconds(), o.warmup(), o.warmupRate(),
                Runtime.getRuntime().availableProcessors());
        System.out.println();
        System.out.println("| server | offered/s | delivered/s | p50 ms | p95 ms | p99 ms | max ms | lost | out of order "
                + "| disconnects | CPU µs/delivery | server cores | RSS MiB | RSS KiB/conn | heap KiB/conn | sends ok / failed "
                + "| POST p99 ms |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
                + "| ---: | ---: | ---: | ---: |");
        for (CompareRow r : rows) {
            System.out.println(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %d | %d | %d | %d | %d | %d | %d | %.2f "
                            + "| %.2f | %.0f | %.1f | %.1f | %d / %d | %d |", r.server(), r.offeredPerS(), r.deliveredPerS(),
                    r.p50(), r.p95(), r.p99(), r.max(), r.lost(), r.outOfOrder(), r.disconnects(),
                    r.cpuMicrosPerDelivery(), r.cores(), r.rssMiB(), r.rssKiBPerConnection(), r.heapKiBPerConnection(),
                    r.sends(), r.sendsFailed(), r.answerP99Ms()));
        }
        if (rows.size() == 2) {
            CompareRow node = rows.get(0);
            CompareRow gateway = rows.get(1);
            System.out.println();
            System.out.println("gateway ÷ Node (goals from issue 12 in brackets):");
            System.out.println(ratio("delivered events/s", gateway.deliveredPerS(), node.deliveredPerS(), "≥ 1.5 at saturation"));
            System.out.println(ratio("p99 latency", gateway.p99(), node.p99(), "≤ 1.0 at 75k/s offered"));
            System.out.println(ratio("CPU per delivery", gateway.cpuMicrosPerDelivery(), node.cpuMicrosPerDelivery(), "≤ 0.67"));
            System.out.println(ratio("RSS per connection", gateway.rssKiBPerConnection(), node.rssKiBPerConnection(), "≤ 1.0"));
            System.out.println(ratio("heap per connection", gateway.heapKiBPerConnection(), node.heapKiBPerConnection(),
                    "gateway ≤ 8 KiB"));
            System.out.printf(Locale.ROOT, "  %-22s gateway %d, Node %d (goal 0 and 0)%n", "lost + out of order",
                    gateway.lost() + gateway.outOfOrder(), node.lost() + node.outOfOrder());
        }
    }

    private static String ratio(String what, double gateway, double node, String goal) {
        String value = node == 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", gateway / node);
        return String.format(Locale.ROOT, "  %-22s %s  [%s]", what, value, goal);
    }
}
