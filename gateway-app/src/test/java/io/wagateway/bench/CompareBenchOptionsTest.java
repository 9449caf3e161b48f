package io.wagateway.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sender's connections, and the gateway's per-address cap raised to let them in. */
class CompareBenchOptionsTest {

    private static final String CAP = "gateway.http.max-connections-per-address";

    @Test
    void theDefaultConnectionsFitTheGatewaysCap() {
        CompareBench.Options o = CompareBench.Options.parse(new String[0]);
        assertEquals(48, o.connections());
        assertEquals(Map.of(), o.settings());
    }

    @Test
    void moreConnectionsRaiseTheCapUnlessItIsSet() {
        assertEquals(Map.of(CAP, "168"), CompareBench.Options.parse(new String[] {"--connections", "160"}).settings());
        assertEquals(Map.of(CAP, "0"),
                CompareBench.Options.parse(new String[] {"--connections", "160", "--set", CAP + "=0"}).settings());
        assertEquals(Map.of(), CompareBench.Options.parse(new String[] {"--connections", "56"}).settings());
        assertEquals(Map.of(CAP, "65"), CompareBench.Options.parse(new String[] {"--connections", "57"}).settings());
    }

    @Test
    void noConnectionsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> CompareBench.Options.parse(new String[] {"--connections", "0"}));
    }
}
