package io.wagateway.delivery;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;

/**
 * A real HTTP receiver for webhook tests (the JDK's HTTP server on a free loopback port): records
 * every request with its Standard Webhooks headers and answers what the test says. It can be
 * stopped and started again on the same port, like a receiver that is down for a while.
 */
final class WebhookReceiver implements AutoCloseable {

    /** One request as received, and the status it was answered with. */
    record Request(String id, String timestamp, String signature, String body, int answered) {
        Map<String, String> headers() {
            return Map.of("webhook-id", id, "webhook-timestamp", timestamp, "webhook-signature", signature);
        }

        boolean delivered() {
            return answered >= 200 && answered < 300;
        }
    }

    private final List<Request> requests = new ArrayList<>();
    private volatile ToIntFunction<String> answer = id -> 200;
    /** While set, requests wait for it before they are answered, like a receiver that hangs. */
    private volatile CountDownLatch hold;
    private final AtomicInteger held = new AtomicInteger();
    private final AtomicInteger mostHeld = new AtomicInteger();
    private HttpServer server;
    private ExecutorService threads;
    private int port;

    WebhookReceiver() {
        start();
    }

    /** @param answer the status for a request, given its webhook-id */
    void answer(ToIntFunction<String> answer) {
        this.answer = answer;
    }

    synchronized void start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            CountDownLatch waitFor = hold;
            if (waitFor != null) {
                mostHeld.accumulateAndGet(held.incrementAndGet(), Math::max);
                try {
                    waitFor.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    held.decrementAndGet();
                }
            }
            var h = exchange.getRequestHeaders();
            String id = String.valueOf(h.getFirst("webhook-id"));
            int status = answer.applyAsInt(id);
            synchronized (requests) {
                requests.add(new Request(id, h.getFirst("webhook-timestamp"), h.getFirst("webhook-signature"),
                        new String(body, StandardCharsets.UTF_8), status));
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        threads = Executors.newFixedThreadPool(4);
        server.setExecutor(threads);
        server.start();
        port = server.getAddress().getPort();
    }

    /** From now on, requests are held unanswered until {@link #release()}. */
    void hold() {
        hold = new CountDownLatch(1);
    }

    /** Answers the held requests, and the next ones at once. */
    void release() {
        CountDownLatch h = hold;
        hold = null;
        if (h != null) {
            h.countDown();
        }
    }

    /** @return requests held unanswered now */
    int held() {
        return held.get();
    }

    /** @return the most requests held unanswered at once */
    int mostHeld() {
        return mostHeld.get();
    }

    /** Stops listening: connections are refused until {@link #start()}. */
    synchronized void stop() {
        release();
        server.stop(0);
        threads.shutdownNow();
    }

    String url(String host) {
        return "http://" + host + ":" + port + "/hooks";
    }

    String url() {
        return url("127.0.0.1");
    }

    List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** @return the requests answered 2xx, in arrival order */
    List<Request> delivered() {
        return requests().stream().filter(Request::delivered).toList();
    }

    @Override
    public void close() {
        stop();
    }
}
