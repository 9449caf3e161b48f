package io.wagateway.plugin;

import io.wagateway.api.EngineSession;
import io.wagateway.api.PluginConfig;
import io.wagateway.testkit.RecordingEngineContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records engine arrivals and departures as {@code added:<name>:<version>} and
 * {@code removing:<name>:<version>}, also into {@link TestInbox} to see them in order with the
 * plugins' own start and stop. On removal it opens a session of the engine, which proves the
 * plugin's classes still work at that moment (the session class is first loaded then).
 */
final class RecordingListener implements EngineRegistry.Listener {

    final List<String> events = new CopyOnWriteArrayList<>();
    final List<RegisteredEngine> removed = new CopyOnWriteArrayList<>();

    @Override
    public void engineAdded(RegisteredEngine engine) {
        record("added:" + engine.name() + ":" + versionOf(engine));
    }

    @Override
    public void engineRemoving(RegisteredEngine engine) {
        removed.add(engine);
        record("removing:" + engine.name() + ":" + versionOf(engine));
    }

    private void record(String event) {
        events.add(event);
        TestInbox.record(event);
    }

    static String versionOf(RegisteredEngine engine) {
        EngineSession session = engine.engine().open(new RecordingEngineContext(PluginConfig.of(Map.of())));
        return String.valueOf(session.action("version", Map.of()).get("version"));
    }
}
