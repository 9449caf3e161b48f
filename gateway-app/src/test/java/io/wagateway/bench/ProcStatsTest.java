package io.wagateway.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProcStatsTest {

    @Test
    void threadsOfOneKindAreNamedAlikeWhateverTheirNumbers() {
        assertEquals("C# CompilerThread#", ProcStats.threadKind("C2 CompilerThread0"));
        assertEquals("C# CompilerThread#", ProcStats.threadKind("C1 CompilerThread12"));
        assertEquals("nioEventLoopGro", ProcStats.threadKind("nioEventLoopGro"));
        assertEquals("ForkJoinPool-#-w", ProcStats.threadKind("ForkJoinPool-1-w"));
    }

    @Test
    void whatEachKindUsedIsTheDifferenceLargestFirst() {
        Map<String, Long> before = Map.of("a", 10L, "b", 5L, "c", 7L);
        Map<String, Long> after = Map.of("a", 12L, "b", 25L, "c", 7L, "d", 4L);
        assertEquals(List.of(Map.entry("b", 20L), Map.entry("d", 4L), Map.entry("a", 2L)), ProcStats.used(before, after));
        assertEquals(9L, ProcStats.compilerNanos(Map.of("C# CompilerThread#", 9L, "db-group-commit-#", 3L)));
    }

    @Test
    void aBusyThreadsCpuTimeIsReadFromProc() throws Exception {
        long pid = ProcessHandle.current().pid();
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        Thread burner = Thread.ofPlatform().name("probe-42").start(() -> {
            var threads = ManagementFactory.getThreadMXBean();
            long x = 0;
            while (threads.getCurrentThreadCpuTime() < TimeUnit.MILLISECONDS.toNanos(200)) {
                x += Long.numberOfTrailingZeros(x + 1);
            }
            busy.countDown();
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            assertTrue(busy.await(60, TimeUnit.SECONDS));
            long used = ProcStats.cpuNanosByThreadKind(pid).getOrDefault("probe-#", 0L);
            // Linux counts in 10 ms ticks.
            assertTrue(used >= TimeUnit.MILLISECONDS.toNanos(180), "read " + used + " ns");
        } finally {
            done.countDown();
            burner.join();
        }
    }

    @Test
    void theQueuesOfAPortsConnectionsAreSplitIntoTheServersAndTheClientsSide() {
        List<String> table = List.of(
                "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
                "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000005 00:00000000 00000000  1000        0 1 1",
                "   1: 0100007F:1F90 0100007F:C350 01 00000400:00000000 00:00000000 00000000  1000        0 2 1",
                "   2: 0100007F:1F90 0100007F:C351 01 00000100:00000000 00:00000000 00000000  1000        0 3 1",
                "   3: 0100007F:C350 0100007F:1F90 01 00000000:00000800 00:00000000 00000000  1000        0 4 1",
                "   4: 0100007F:C351 0100007F:1F90 01 00000000:00000100 00:00000000 00000000  1000        0 5 1",
                "   5: 0100007F:C352 0100007F:1F90 06 00000000:00009999 00:00000000 00000000     0        0 0 3",
                "   6: 0100007F:1F91 0100007F:C353 01 00007000:00000000 00:00000000 00000000  1000        0 6 1");
        assertEquals(1, ProcStats.timeWaitSockets(table), "one row in TIME_WAIT (06), the header not counted");
        ProcStats.TcpQueues q = ProcStats.tcpQueues(8080, table); // 8080 = 0x1F90
        assertEquals(new ProcStats.TcpQueues(0x500, 0x400, 0x900, 0x800), q);
        assertEquals(new ProcStats.TcpQueues(0x500, 0x400, 0x900, 0x900),
                q.max(new ProcStats.TcpQueues(0x100, 0x100, 0x100, 0x900)));
    }

    @Test
    void thisProcessesOwnUnreadBytesShowOnTheClientsSide() throws Exception {
        try (var server = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             var client = new java.net.Socket(server.getInetAddress(), server.getLocalPort());
             var accepted = server.accept()) {
            accepted.getOutputStream().write(new byte[3000]);
            accepted.getOutputStream().flush();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            ProcStats.TcpQueues q = ProcStats.tcpQueues(server.getLocalPort());
            while (q.clientUnread() < 3000 && System.nanoTime() < deadline) {
                Thread.onSpinWait(); // loopback delivers within microseconds; the kernel gives no event for it
                q = ProcStats.tcpQueues(server.getLocalPort());
            }
            assertEquals(3000, q.clientUnread());
            assertEquals(3000, q.clientMax());
            assertTrue(client.isConnected());
        }
    }
}
