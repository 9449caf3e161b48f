package io.wagateway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** One server's figures in the side-by-side bench. */
record CompareRow(String server, double offeredPerS, double deliveredPerS, long p50, long p95, long p99, long max,
                  long lost, long outOfOrder, long disconnects, double cpuMicrosPerDelivery, double cores,
                  double heapKiBPerConnection, double rssKiBPerConnection, double rssMiB, long sends, long sendsFailed,
                  long answerP99Ms) {

    /**
     * @param results     the load generators' RESULT reports
     * @param start       wall-clock millis when the measured sending began
     * @param cpuNanos    the server's CPU time from then until every delivery had arrived
     * @param heapGrowth  live heap after connecting the clients minus before
     * @param rssGrowth   RSS after connecting the clients minus before
     */
    static CompareRow of(String server, CompareBench.Options o, List<JsonNode> results, long expected, long start,
                         CompareBench.SendResult sent, long cpuNanos, long heapGrowth, long rssGrowth, long rssEnd) {
        long[] histogram = new long[60_001];
        long received = 0;
        long outOfOrder = 0;
        long disconnects = 0;
        long lastAt = start;
        for (JsonNode r : results) {
            received += r.get("received").asLong();
            outOfOrder += r.get("outOfOrder").asLong();
            disconnects += r.get("disconnects").asLong();
            lastAt = Math.max(lastAt, r.get("lastAt").asLong());
            for (JsonNode bucket : r.get("buckets")) {
                histogram[bucket.get(0).asInt()] += bucket.get(1).asLong();
            }
        }
        double window = Math.max(1, lastAt - start) / 1000.0;
        long sends = java.util.Arrays.stream(sent.accepted()).sum();
        return new CompareRow(server, expected / Math.max(0.001, sent.sendMs() / 1000.0), received / window,
                percentile(histogram, received, 0.50), percentile(histogram, received, 0.95),
                percentile(histogram, received, 0.99), percentile(histogram, received, 1.0),
                expected - received, outOfOrder, disconnects, cpuNanos / 1000.0 / Math.max(1, received),
                cpuNanos / 1e9 / window, heapGrowth / 1024.0 / o.clients(), rssGrowth / 1024.0 / o.clients(),
                rssEnd / 1048576.0, sends, sent.failed(), sent.answerP99Ms());
    }

    private static long percentile(long[] histogram, long total, double p) {
        long wanted = Math.max(1, (long) Math.ceil(total * p));
        long seen = 0;
        for (int ms = 0; ms < histogram.length; ms++) {
            seen += histogram[ms];
            if (seen >= wanted) {
                return ms;
            }
        }
        return -1;
    }
}
