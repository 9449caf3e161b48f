package io.wagateway.plugins.simulator;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SimulatorSchedulerTest {

    @Test
    void timersRunOnDaemonSimulatorThreadsThatPluginStopEnds() throws Exception {
        ScheduledExecutorService pool = SimulatorScheduler.get();
        Thread timerThread = pool.schedule(Thread::currentThread, 1, TimeUnit.MILLISECONDS).get(5, TimeUnit.SECONDS);
        assertTrue(timerThread.getName().startsWith("simulator-"), timerThread.getName());
        assertTrue(timerThread.isDaemon());

        new SimulatorPlugin().stop();

        assertTrue(pool.isTerminated());
        timerThread.join(5_000);
        assertFalse(timerThread.isAlive(), "timer thread outlived the plugin");

        // A restarted plugin (same class loader) gets a working pool again.
        ScheduledExecutorService again = SimulatorScheduler.get();
        assertNotSame(pool, again);
        assertTrue(again.schedule(() -> true, 1, TimeUnit.MILLISECONDS).get(5, TimeUnit.SECONDS));
    }
}
