package io.wagateway.plugins.webhook;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Which resolved addresses a webhook may be sent to: not loopback, private (RFC 1918, IPv6 unique
 * local), link-local (cloud metadata), carrier-grade NAT, "this network", multicast or the
 * unspecified address — unless private targets are allowed. Checked on the address the request
 * then connects to, so a name that resolves (or re-resolves) to such an address cannot pass.
 */
final class TargetAddresses {

    private TargetAddresses() {
    }

    /** @return why the address is refused, or null when it is public */
    static String refusal(InetAddress a) {
        if (a.isLoopbackAddress()) {
            return "loopback";
        }
        if (a.isAnyLocalAddress()) {
            return "unspecified";
        }
        if (a.isLinkLocalAddress()) {
            return "link-local";
        }
        if (a.isSiteLocalAddress()) {
            return "private";
        }
        if (a.isMulticastAddress()) {
            return "multicast";
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            if (first == 0) {
                return "'this network' (0.0.0.0/8)";
            }
            if (first == 100 && second >= 64 && second <= 127) {
                return "carrier-grade NAT (100.64.0.0/10)";
            }
            if (first == 198 && (second == 18 || second == 19)) {
                return "benchmarking (198.18.0.0/15)";
            }
            if (first >= 240) {
                return "reserved (240.0.0.0/4)";
            }
        } else if (a instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) {
                return "private (IPv6 unique local)";
            }
            // Forms that carry an IPv4 address, judged by it: IPv4-mapped (::ffff:a.b.c.d, which the
            // JDK mostly hands over as IPv4 already), IPv4-compatible (::a.b.c.d, deprecated; some
            // stacks still route it to IPv4) and the NAT64 well-known prefix (64:ff9b::a.b.c.d).
            boolean zeros = true;
            for (int i = 0; i < 10; i++) {
                zeros &= b[i] == 0;
            }
            boolean mapped = zeros && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
            boolean compatible = zeros && b[10] == 0 && b[11] == 0;
            boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
            for (int i = 4; nat64 && i < 12; i++) {
                nat64 = b[i] == 0;
            }
            if (mapped || compatible || nat64) {
                try {
                    return refusal(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
                } catch (java.net.UnknownHostException e) {
                    return "unparseable";
                }
            }
        }
        return null;
    }
}
