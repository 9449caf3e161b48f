package io.wagateway.plugins.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SimulatorCredentialsTest {

    @Test
    void roundTripKeepsAnyDisplayName() {
        SimulatorCredentials creds = new SimulatorCredentials("+6281234567890", "Budi \\n=\nline2\r\\ 😀 café");

        assertEquals(Optional.of(creds), SimulatorCredentials.decode(creds.encode()));
    }

    @Test
    void unreadableEntriesDecodeToNothing() {
        assertTrue(SimulatorCredentials.decode("garbage".getBytes(StandardCharsets.UTF_8)).isEmpty());
        assertTrue(SimulatorCredentials.decode(new byte[0]).isEmpty());
        assertTrue(SimulatorCredentials.decode("format=other/9\nphoneNumber=+6281234567890\ndisplayName=Budi\n"
                .getBytes(StandardCharsets.UTF_8)).isEmpty(), "unknown format");
        assertTrue(SimulatorCredentials.decode("format=simulator/1\nphoneNumber=0812\ndisplayName=Budi\n"
                .getBytes(StandardCharsets.UTF_8)).isEmpty(), "bad phone number");
        assertTrue(SimulatorCredentials.decode("format=simulator/1\nphoneNumber=+6281234567890\n"
                .getBytes(StandardCharsets.UTF_8)).isEmpty(), "no display name");
    }
}
