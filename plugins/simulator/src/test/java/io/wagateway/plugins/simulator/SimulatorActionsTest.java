package io.wagateway.plugins.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.wagateway.api.ActionException;
import io.wagateway.api.EngineAction;
import io.wagateway.api.EngineSession;
import io.wagateway.api.PluginConfig;
import io.wagateway.testkit.RecordingEngineContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The actions the simulator declares for the admin UI are exactly the ones its sessions know. */
class SimulatorActionsTest {

    private final SimulatorEngine engine = new SimulatorEngine();

    @Test
    void everyDeclaredActionIsKnownToASession() {
        EngineSession session = engine.open(new RecordingEngineContext(PluginConfig.validate(engine.configKeys(), Map.of())));
        List<String> names = engine.actions().stream().map(EngineAction::name).toList();
        assertEquals(List.of("scan", "phone-logout", "drop-connection", "receive", "crash"), names);
        for (String name : names) {
            // Not started: each is refused for the state or its input, never as unknown.
            ActionException refused = assertThrows(ActionException.class, () -> session.action(name, Map.of()));
            assertNotEquals(ActionException.Kind.UNKNOWN_ACTION, refused.kind(), name);
        }
        assertEquals(ActionException.Kind.UNKNOWN_ACTION,
                assertThrows(ActionException.class, () -> session.action("no-such-action", Map.of())).kind());
        EngineAction scan = engine.actions().get(0);
        assertEquals(List.of("phoneNumber", "displayName"), scan.params().stream().map(EngineAction.Param::name).toList());
        session.stop();
    }
}
