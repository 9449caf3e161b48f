package io.wagateway.bench;

import java.time.Duration;

/**
 * Reads the server's metrics every {@link #INTERVAL} from the warm-up's start to the measurement's
 * end, as a Prometheus scraper would read a gateway in production. Read only at the measurement's
 * start and end, the one different request after a minute of message sends made the gateway's JIT
 * throw away its compiled request path (uncommon traps in Helidon's header parsing and route
 * matching, in the instant of that read) and compile it again while measured.
 */
final class MetricsScrape implements AutoCloseable {

    static final Duration INTERVAL = Duration.ofSeconds(5);

    private final Thread scraper;

    MetricsScrape(BenchServer server) {
        this.scraper = Thread.ofVirtual().name("bench-metrics-scrape").start(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(INTERVAL); // a scraper's period, not a wait for an event
                    server.databaseWritesAndCommits();
                }
            } catch (InterruptedException e) {
                // closed
            } catch (RuntimeException e) {
                System.out.println("bench: metrics scrape failed: " + e.getMessage());
            }
        });
    }

    @Override
    public void close() throws InterruptedException {
        scraper.interrupt();
        scraper.join();
    }
}
