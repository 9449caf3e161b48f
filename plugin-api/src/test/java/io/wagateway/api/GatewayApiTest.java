package io.wagateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import org.junit.jupiter.api.Test;

/** The version plugins check against is the one the build puts into their {@code Plugin-Requires}. */
class GatewayApiTest {

    @Test
    void versionIsTheBuildsApiVersion() {
        String built = System.getProperty("gateway.api.version");
        assertNotNull(built, "surefire passes the root pom's gateway.api.version");
        assertEquals(built, GatewayApi.VERSION);
    }
}
