package io.wagateway.web;

import com.sun.net.httpserver.HttpServer;
import io.wagateway.testing.TestGateway;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * A gateway the Node side of a browser test can restart: {@code POST /restart} on a small local
 * HTTP server stops the gateway and starts it again on the same data directory and ports, and
 * answers once it is up. Closing stops both.
 */
final class RestartControl implements AutoCloseable {

    private final Supplier<TestGateway> starter;
    private final HttpServer http;
    private volatile TestGateway gateway;

    RestartControl(Supplier<TestGateway> starter) {
        this.starter = starter;
        this.gateway = starter.get();
        try {
            http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            gateway.close();
            throw new UncheckedIOException(e);
        }
        http.createContext("/restart", exchange -> {
            int status = 200;
            String body = "restarted";
            try {
                synchronized (this) {
                    gateway.close();
                    gateway = starter.get();
                }
            } catch (RuntimeException e) {
                status = 500;
                body = String.valueOf(e);
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        http.start();
    }

    TestGateway current() {
        return gateway;
    }

    String url() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    @Override
    public synchronized void close() {
        http.stop(0);
        gateway.close();
    }
}
