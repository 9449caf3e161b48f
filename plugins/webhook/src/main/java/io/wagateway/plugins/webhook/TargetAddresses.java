package io.wagateway.plugins.webhook;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * Which resolved addresses a webhook may be sent to: not loopback, private, link-local (cloud
 * metadata), multicast, unspecified, nor any other special-purpose range of the IANA IPv4 and IPv6
 * registries that is not globally reachable — unless private targets are allowed. IPv6 forms that
 * carry an IPv4 address are judged by that address. Checked on the address the request then
 * connects to, so a name that resolves (or re-resolves) to such an address cannot pass.
 */
final class TargetAddresses {

    /** A prefix; when {@code ipv4At >= 0}, an IPv6 form judged by the IPv4 address at that byte. */
    private record Range(byte[] prefix, int bits, int ipv4At, String reason) {

        boolean contains(byte[] a) {
            if (a.length != prefix.length) {
                return false;
            }
            int whole = bits / 8;
            for (int i = 0; i < whole; i++) {
                if (a[i] != prefix[i]) {
                    return false;
                }
            }
            int mask = (0xff00 >> (bits % 8)) & 0xff;
            return whole == a.length || ((a[whole] ^ prefix[whole]) & mask) == 0;
        }
    }

    /**
     * Besides what the JDK names (loopback, unspecified, link-local, RFC 1918 and fec0::/10,
     * multicast); the first range that holds the address decides.
     */
    private static final List<Range> RANGES = List.of(
            // IPv6 forms carrying an IPv4 address
            embedding("::ffff:0:0/96", 12),   // IPv4-mapped; the JDK mostly hands these over as IPv4 already
            embedding("::/96", 12),           // IPv4-compatible (deprecated); some stacks still route it to IPv4
            embedding("::ffff:0:0:0/96", 12), // IPv4-translated (SIIT, RFC 2765)
            embedding("64:ff9b::/96", 12),    // NAT64 well-known prefix, only ever a /96 (RFC 6052)
            embedding("64:ff9b:1::/96", 12),  // local-use NAT64 (RFC 8215) as a /96; the rest of its /48 below
            embedding("2002::/16", 2),        // 6to4: the IPv4 address in bits 16-47
            // IPv4
            refused("0.0.0.0/8", "'this network' (0.0.0.0/8)"),                 // not a destination; 0.0.0.0 is this host on Linux
            refused("100.64.0.0/10", "carrier-grade NAT (100.64.0.0/10)"),        // provider-internal (Alibaba Cloud metadata)
            refused("168.63.129.16/32", "Azure WireServer (168.63.129.16)"),       // Azure's host agent, reachable from every VM
            refused("192.0.0.0/24", "IETF protocol assignments (192.0.0.0/24)"), // DS-Lite, NAT64 discovery; old Oracle Cloud metadata
            refused("192.0.2.0/24", "documentation (192.0.2.0/24)"),               // TEST-NET-1, not routed
            refused("192.88.99.0/24", "6to4 relay anycast (192.88.99.0/24)"),     // deprecated (RFC 7526)
            refused("198.18.0.0/15", "benchmarking (198.18.0.0/15)"),              // lab networks, not routed
            refused("198.51.100.0/24", "documentation (198.51.100.0/24)"),         // TEST-NET-2
            refused("203.0.113.0/24", "documentation (203.0.113.0/24)"),           // TEST-NET-3
            refused("240.0.0.0/4", "reserved (240.0.0.0/4)"),                      // and the broadcast 255.255.255.255
            // IPv6
            refused("64:ff9b:1::/48", "local-use NAT64 (64:ff9b:1::/48)"), // another prefix length: the IPv4 address's place is unknown
            refused("100::/64", "discard-only (100::/64)"),                  // RFC 6666
            refused("2001::/32", "Teredo (2001::/32)"),                      // a relay reaches the client's IPv4 address; retired
            refused("2001:2::/48", "benchmarking (2001:2::/48)"),            // RFC 5180
            refused("2001:db8::/32", "documentation (2001:db8::/32)"),       // RFC 3849
            refused("3fff::/20", "documentation (3fff::/20)"),               // RFC 9637
            refused("5f00::/16", "segment routing (5f00::/16)"),             // SRv6 SIDs, RFC 9602
            refused("fc00::/7", "private (IPv6 unique local)"));             // also AWS's and GCP's IPv6 metadata

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
        for (Range r : RANGES) {
            if (r.contains(b)) {
                return r.ipv4At < 0 ? r.reason : refusal(ipv4(Arrays.copyOfRange(b, r.ipv4At, r.ipv4At + 4)));
            }
        }
        return null;
    }

    private static Range refused(String cidr, String reason) {
        return range(cidr, -1, reason);
    }

    private static Range embedding(String cidr, int ipv4At) {
        return range(cidr, ipv4At, null);
    }

    private static Range range(String cidr, int ipv4At, String reason) {
        int slash = cidr.indexOf('/');
        byte[] prefix;
        try { // a literal: no lookup
            prefix = InetAddress.getByName(cidr.substring(0, slash)).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(cidr, e);
        }
        if (prefix.length == 4 && cidr.contains(":")) { // the JDK turns ::ffff:a.b.c.d into IPv4
            prefix = new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, prefix[0], prefix[1], prefix[2], prefix[3]};
        }
        return new Range(prefix, Integer.parseInt(cidr.substring(slash + 1)), ipv4At, reason);
    }

    private static InetAddress ipv4(byte[] four) {
        try {
            return InetAddress.getByAddress(four);
        } catch (UnknownHostException e) { // only for a wrong length
            throw new IllegalStateException(e);
        }
    }
}
