package io.wagateway.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The bench reads the gateway's heap from {@code jcmd GC.heap_info}, whose wording depends on the collector. */
class GatewayServerTest {

    @Test
    void theUsedHeapIsReadWhicheverCollectorPrintsIt() {
        assertEquals(24576L * 1024, GatewayServer.heapUsedBytes("""
                 garbage-first heap   total 262144K, used 24576K [0x0000000687400000, 0x0000000800000000)
                  region size 2048K, 12 young (24576K), 0 survivors (0K)
                """));
        assertEquals(62L * 1024 * 1024, GatewayServer.heapUsedBytes("""
                 ZHeap            used 62M, capacity 378M, max capacity 6028M
                  Cache           316M (1)
                """));
        assertEquals(30720L * 1024, GatewayServer.heapUsedBytes("""
                Shenandoah Heap
                 6028M max, 6028M soft max, 408M committed, 30720K used
                """));
        assertThrows(IllegalStateException.class, () -> GatewayServer.heapUsedBytes("GC.heap_info: unknown"));
    }
}
