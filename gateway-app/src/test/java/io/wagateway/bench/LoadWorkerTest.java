package io.wagateway.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wagateway.http.Json;
import org.junit.jupiter.api.Test;

class LoadWorkerTest {

    @Test
    void theCpuWhileMeasuredIsWhatTheResultSaysAfterTheLastReset() throws Exception {
        // load.mjs: cpuMs since it started, cpuConnectMs until its last RESET (the warm-up's end).
        var result = Json.MAPPER.readTree("{\"received\": 100, \"cpuMs\": 1500, \"cpuConnectMs\": 400}");
        assertEquals(1_100_000_000L, LoadWorker.measuredCpuNanos(result));
    }
}
