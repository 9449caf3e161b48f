package io.wagateway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One server's figures in the idle bench. Per-connection figures are growth over the server's
 * state before the clients (after a full collection), divided by the clients asked for: at the end
 * of the hold after a full collection, and ("no GC") at the end of the hold before it.
 */
record IdleRow(String server, int clients, int joined, int failed, double connectSeconds, long pingIntervalMs,
               long pingTimeoutMs, int alive, long disconnects, String firstDisconnectReason, long pingsMin,
               long pingsMax, int gotFinal, double rssBeforeMiB, double rssJoinedMiB, double rssHeldNoGcMiB,
               double rssHeldMiB, double peakRssMiB, double rssKiBPerConnection, double heapKiBPerConnection,
               double rssKiBPerConnectionNoGc, int fds) {

    static IdleRow of(String server, IdleBench.Options o, List<JsonNode> results, int joined, int failed,
                      double connectSeconds, JsonNode handshake, long heapBefore, long rssBefore, long rssJoined,
                      long rssHeldNoGc, IdleBench.Snapshot held, long peakRss) {
        int alive = 0;
        int gotFinal = 0;
        long disconnects = 0;
        long pingsMin = Long.MAX_VALUE;
        long pingsMax = 0;
        String reason = null;
        for (JsonNode r : results) {
            alive += r.get("alive").asInt();
            gotFinal += r.get("gotAll").asInt();
            disconnects += r.get("disconnects").asLong();
            pingsMin = Math.min(pingsMin, r.get("pingsMin").asLong());
            pingsMax = Math.max(pingsMax, r.get("pingsMax").asLong());
            if (reason == null && r.hasNonNull("firstDisconnectReason")) {
                reason = r.get("firstDisconnectReason").asText();
            }
        }
        double n = o.clients();
        return new IdleRow(server, o.clients(), joined, failed, connectSeconds, handshake.path("pingIntervalMs").asLong(),
                handshake.path("pingTimeoutMs").asLong(), alive, disconnects, reason, pingsMin, pingsMax, gotFinal,
                rssBefore / 1048576.0, rssJoined / 1048576.0, rssHeldNoGc / 1048576.0, held.rss() / 1048576.0,
                peakRss / 1048576.0, (held.rss() - rssBefore) / 1024.0 / n, (held.heap() - heapBefore) / 1024.0 / n,
                (rssHeldNoGc - rssBefore) / 1024.0 / n, held.fds());
    }
}
