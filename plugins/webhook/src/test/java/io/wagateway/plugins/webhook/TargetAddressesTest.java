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
            "64:ff9b::7f00:1, loopback", "::0.1.2.3, 'this network' (0.0.0.0/8)",
            "198.19.1.1, benchmarking (198.18.0.0/15)", "255.255.255.255, reserved (240.0.0.0/4)",
            // special-purpose IPv4 ranges and cloud host services
            "192.0.0.192, IETF protocol assignments (192.0.0.0/24)", "168.63.129.16, Azure WireServer (168.63.129.16)",
            "192.0.2.1, documentation (192.0.2.0/24)", "198.51.100.7, documentation (198.51.100.0/24)",
            "203.0.113.9, documentation (203.0.113.0/24)", "192.88.99.1, 6to4 relay anycast (192.88.99.0/24)",
            // IPv6 forms carrying an IPv4 address: 6to4, local-use NAT64 as a /96, IPv4-translated (SIIT)
            "2002:a9fe:a9fe::1, link-local", "2002:7f00:1::, loopback", "2002:a00:1::1, private",
            "2002:c000:c0::1, IETF protocol assignments (192.0.0.0/24)",
            "64:ff9b:1::a9fe:a9fe, link-local", "64:ff9b:1::a00:1, private", "::ffff:0:a9fe:a9fe, link-local",
            // local-use NAT64 with a prefix other than 64:ff9b:1::/96 (here 169.254.169.254 under a /48), Teredo
            "64:ff9b:1:a9fe:a9:fe00::, local-use NAT64 (64:ff9b:1::/48)",
            "2001:0:4136:e378:8000:63bf:3fff:fdd2, Teredo (2001::/32)", "2001:0:4136:e378:8000:63bf:5601:5601, Teredo (2001::/32)",
            // special-purpose IPv6 ranges
            "100::1, discard-only (100::/64)", "2001:2::1, benchmarking (2001:2::/48)",
            "2001:db8::1, documentation (2001:db8::/32)", "3fff::1, documentation (3fff::/20)",
            "5f00::1, segment routing (5f00::/16)"})
    void refused(String address, String why) throws Exception {
        assertEquals(why, TargetAddresses.refusal(InetAddress.getByName(address)));
    }

    @ParameterizedTest
    @CsvSource({"93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "100.128.0.1", "172.32.0.1",
            "64:ff9b::808:808", "192.0.1.1", "168.63.129.17", "2002:808:808::1", "64:ff9b:1::808:808",
            "2001:4860:4860::8888"})
    void publicAddressesPass(String address) throws Exception {
        assertNull(TargetAddresses.refusal(InetAddress.getByName(address)));
    }
}
