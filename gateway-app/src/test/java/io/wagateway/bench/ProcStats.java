package io.wagateway.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A process's CPU time and resident memory from Linux's {@code /proc}, so the Java gateway and the
 * Node reference are measured the same way, from outside.
 */
final class ProcStats {

    /** USER_HZ: Linux reports {@code utime} and {@code stime} in 1/100 s on every supported architecture. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private ProcStats() {
    }

    /** @return user + system CPU time of the process so far, in nanoseconds (10 ms resolution) */
    static long cpuNanos(long pid) {
        return cpuTicks(read(Path.of("/proc", Long.toString(pid), "stat"))) * NANOS_PER_TICK;
    }

    /** @return utime + stime of a process's or thread's {@code stat} line, in ticks */
    private static long cpuTicks(String stat) {
        // The command name (field 2) may hold spaces; the fields after its closing ')' are fixed.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long utime = Long.parseLong(fields[11]); // field 14 of the whole line
        long stime = Long.parseLong(fields[12]); // field 15
        return utime + stime;
    }

    /**
     * @return CPU time of the process's threads so far, in nanoseconds, summed per kind of thread:
     *     each thread's name ({@code comm}, 15 characters at most) with its numbers written as
     *     {@code #}, so HotSpot's {@code C2 CompilerThread0} and {@code 1} are one {@code C# CompilerThread#}
     *     (Linux cuts the names: the group commit's {@code db-group-commit-1} is {@code db-group-commit}). A thread that
     *     ended (the JVM adds and removes some) takes its time with it: a lower bound per kind.
     */
    static Map<String, Long> cpuNanosByThreadKind(long pid) {
        Map<String, Long> kinds = new TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String kind = threadKind(Files.readString(task.resolve("comm")).trim());
                    kinds.merge(kind, cpuTicks(Files.readString(task.resolve("stat"))) * NANOS_PER_TICK, Long::sum);
                } catch (IOException gone) {
                    // a thread that ended while listed
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the threads of process " + pid, e);
        }
        return kinds;
    }

    static String threadKind(String threadName) {
        return threadName.replaceAll("[0-9]+", "#");
    }

    /** @return the JIT compilers' share of {@link #cpuNanosByThreadKind} (HotSpot's C1 and C2 compiler threads) */
    static long compilerNanos(Map<String, Long> byKind) {
        return byKind.entrySet().stream().filter(e -> e.getKey().startsWith("C# Compiler"))
                .mapToLong(Map.Entry::getValue).sum();
    }

    /** @return what each kind of thread used between two readings of {@link #cpuNanosByThreadKind}, the largest first */
    static List<Map.Entry<String, Long>> used(Map<String, Long> before, Map<String, Long> after) {
        return after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .toList();
    }

    /**
     * @return this machine's TCP sockets in TIME_WAIT ({@code /proc/net/tcp} and {@code tcp6}, state
     *     06): each holds a loopback address and port pair for a minute after its connection closed
     */
    static int timeWaitSockets() {
        return timeWaitSockets(tcpRows());
    }

    /** @param rows lines of {@code /proc/net/tcp} tables */
    static int timeWaitSockets(List<String> rows) {
        return (int) rows.stream().filter(row -> state(row).equals("06")).count();
    }

    /**
     * @return the rows of {@code /proc/net/tcp} and {@code tcp6} (IPv4 and IPv6 sockets), their
     *     headers included: a header's state column is {@code st}, so a filter by state drops it
     */
    private static List<String> tcpRows() {
        List<String> rows = new java.util.ArrayList<>();
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            try (var lines = Files.lines(Path.of(table))) {
                lines.forEach(rows::add);
            } catch (IOException e) {
                // no IPv6 table on this machine
            }
        }
        return rows;
    }

    /** @return a row's state: "sl local_address rem_address st ...", the fourth column (hex: 01 ESTABLISHED, 06 TIME_WAIT) */
    private static String state(String row) {
        String[] f = row.trim().split("\\s+", 5);
        return f.length > 3 ? f[3] : "";
    }

    /**
     * The bytes waiting in this machine's established TCP connections to one listening port: on
     * the server's side written but not yet acknowledged, on the clients' side received but not yet
     * read by their process ({@code tx_queue} and {@code rx_queue} of {@code /proc/net/tcp} and
     * {@code tcp6}). On loopback both ends are here, so a reader that falls behind shows as bytes
     * in both columns, however little the server itself holds.
     *
     * @param serverUnsent  on the server's side, all connections
     * @param serverMax     on the server's side, the connection with the most
     * @param clientUnread  on the clients' side, all connections
     * @param clientMax     on the clients' side, the connection with the most
     */
    record TcpQueues(long serverUnsent, long serverMax, long clientUnread, long clientMax) {

        static final TcpQueues NONE = new TcpQueues(0, 0, 0, 0);

        /** @return each field the larger of the two */
        TcpQueues max(TcpQueues o) {
            return new TcpQueues(Math.max(serverUnsent, o.serverUnsent), Math.max(serverMax, o.serverMax),
                    Math.max(clientUnread, o.clientUnread), Math.max(clientMax, o.clientMax));
        }
    }

    /** @return the queues of the established connections to {@code port} on this machine, now */
    static TcpQueues tcpQueues(int port) {
        return tcpQueues(port, tcpRows());
    }

    /** @param rows lines of {@code /proc/net/tcp} tables */
    static TcpQueues tcpQueues(int port, List<String> rows) {
        long serverUnsent = 0;
        long serverMax = 0;
        long clientUnread = 0;
        long clientMax = 0;
        for (String row : rows) {
            // "sl local_address rem_address st tx_queue:rx_queue ...", addresses as HEXIP:HEXPORT.
            String[] f = row.trim().split("\\s+", 6);
            if (f.length < 5 || !f[3].equals("01")) {
                continue; // only ESTABLISHED (a header's state is "st")
            }
            String[] queues = f[4].split(":");
            if (port(f[1]) == port) {
                long unsent = Long.parseLong(queues[0], 16);
                serverUnsent += unsent;
                serverMax = Math.max(serverMax, unsent);
            } else if (port(f[2]) == port) {
                long unread = Long.parseLong(queues[1], 16);
                clientUnread += unread;
                clientMax = Math.max(clientMax, unread);
            }
        }
        return new TcpQueues(serverUnsent, serverMax, clientUnread, clientMax);
    }

    private static int port(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1), 16);
    }

    /** @return the resident set size of the process, in bytes */
    static long rssBytes(long pid) {
        for (String line : read(Path.of("/proc", Long.toString(pid), "status")).split("\n")) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS for process " + pid);
    }

    /** @return the file descriptors the process holds open (its sockets among them) */
    static int openFds(long pid) {
        String[] fds = Path.of("/proc", Long.toString(pid), "fd").toFile().list();
        if (fds == null) {
            throw new IllegalStateException("cannot list /proc/" + pid + "/fd");
        }
        return fds.length;
    }

    /** @return the soft limit on open files of the process, as {@code /proc/<pid>/limits} shows it */
    static String fdLimit(long pid) {
        for (String line : read(Path.of("/proc", Long.toString(pid), "limits")).split("\n")) {
            if (line.startsWith("Max open files")) {
                return line.substring("Max open files".length()).trim().split("\\s+")[0];
            }
        }
        return "unknown";
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " (the bench needs Linux's /proc)", e);
        }
    }
}
