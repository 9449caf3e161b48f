package io.wagateway.web;

import com.sun.net.httpserver.HttpServer;
import io.wagateway.testing.TestGateway;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.function.IntFunction;

/**
 * A gateway the Node side of a browser test can restart: {@code POST /restart} on a small local
 * HTTP server stops the gateway and starts it again on the same data directory and HTTP port, and
 * answers once it is up. Closing stops both. The first start binds port 0 (the system picks a free
 * port as it binds, so nothing can take it between a pick and the bind); the restarts bind the port
 * it got.
 */
final class RestartControl implements AutoCloseable {

    private final IntFunction<TestGateway> starter;
    private final int port;
    private final HttpServer http;
    private volatile TestGateway gateway;

    /** @param starter starts a gateway whose HTTP server binds the given port */
    RestartControl(IntFunction<TestGateway> starter) {
        this.starter = starter;
        this.gateway = starter.apply(0);
        this.port = URI.create(gateway.httpUrl()).getPort();
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
                    gateway = starter.apply(port);
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
