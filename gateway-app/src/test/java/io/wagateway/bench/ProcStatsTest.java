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
}
