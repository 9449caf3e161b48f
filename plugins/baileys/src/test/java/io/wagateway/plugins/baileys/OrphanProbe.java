package io.wagateway.plugins.baileys;

import io.wagateway.api.PluginException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A separate JVM for {@link WorkerSupervisionTest}: starts the real bundled worker with one session,
 * prints {@code worker-pid <pid>}, and waits to be killed.
 */
public final class OrphanProbe {

    private OrphanProbe() {
    }

    /**
     * @param args the work directory
     * @throws InterruptedException never: it waits to be killed
     */
    public static void main(String[] args) throws InterruptedException {
        BaileysSettings settings = new BaileysSettings(StubHarness.NODE, Path.of(args[0]), Duration.ofSeconds(15),
                Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(5));
        WorkerSupervisor supervisor = new WorkerSupervisor(WorkerLauncher.bundled(settings), settings);
        Worker worker = supervisor.attach("probe", new WorkerSupervisor.Client() {
            @Override
            public void onEvent(Map<String, Object> event) {
            }

            @Override
            public void onWorkerRestarted(Worker restarted) {
            }

            @Override
            public void onWorkerUnavailable(PluginException failure) {
            }
        }, CallDeadline.none());
        worker.callAndWait(Map.of("type", "start", "sessionId", "probe"), settings.callTimeout());
        System.out.println("worker-pid " + worker.pid());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
