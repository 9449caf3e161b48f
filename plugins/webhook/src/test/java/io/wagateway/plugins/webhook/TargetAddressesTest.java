package io.wagateway.plugins.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which addresses a webhook may not be sent to. */
class TargetAddressesTest {

    @ParameterizedTest
    @CsvSource({
            "127.0.0.1, loopback", "127.9.9.9, loopback", "::1, loopback",
            "10.1.2.3, private", "172.16.0.1, private", "192.168.1.1, private",
            "169.254.169.254, link-local", "fe80::1, link-local",
            "0.0.0.0, unspecified", "100.64.0.1, carrier-grade NAT (100.64.0.0/10)",
            "fd00::1, private (IPv6 unique local)", "::ffff:10.0.0.1, private", "224.0.0.1, multicast",
            "::127.0.0.1, loopback", "::10.0.0.1, private", "64:ff9b::169.254.169.254, link-local",
            "64:ff9b::7f00:1, loopback", "::0.1.2.3, 'this network' (0.0.0.0/8)"})
    void refused(String address, String why) throws Exception {
        assertEquals(why, TargetAddresses.refusal(InetAddress.getByName(address)));
    }

    @ParameterizedTest
    @CsvSource({"93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "100.128.0.1", "172.32.0.1",
            "64:ff9b::808:808"})
    void publicAddressesPass(String address) throws Exception {
        assertNull(TargetAddresses.refusal(InetAddress.getByName(address)));
    }
}
