package io.wagateway.plugins.rabbitmq;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay between the sink and the real broker, so that tests can break the network the way it
 * breaks in production without restarting the shared broker: cut every connection, or stop passing
 * the broker's replies (so confirms never arrive). Platform threads, all daemon, all ended by {@link #close()}.
 */
final class TcpProxy implements AutoCloseable {

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Object pauseLock = new Object();
    private boolean repliesPaused;

    private TcpProxy(ServerSocket server, InetSocketAddress target) {
        this.server = server;
        this.target = target;
        Thread.ofPlatform().daemon().name("test-proxy-accept").start(this::accept);
    }

    /** Listens on {@code port} (0: any free port) and relays to {@code target}. */
    static TcpProxy start(int port, InetSocketAddress target) {
        try {
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return new TcpProxy(server, target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return server.getLocalPort();
    }

    /** Holds back everything the broker sends (confirms, heartbeats) until {@link #resumeReplies()}. */
    void pauseReplies() {
        synchronized (pauseLock) {
            repliesPaused = true;
        }
    }

    void resumeReplies() {
        synchronized (pauseLock) {
            repliesPaused = false;
            pauseLock.notifyAll();
        }
    }

    /** Closes every relayed connection, as a network failure or a broker crash would. */
    void cutConnections() {
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
        sockets.clear();
    }

    /** Stops listening and cuts every connection. */
    @Override
    public void close() {
        closeQuietly(server);
        resumeReplies();
        cutConnections();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket broker = new Socket();
                broker.connect(target, 2000);
                sockets.add(client);
                sockets.add(broker);
                Thread.ofPlatform().daemon().name("test-proxy-up").start(() -> pump(client, broker, false));
                Thread.ofPlatform().daemon().name("test-proxy-down").start(() -> pump(broker, client, true));
            } catch (IOException e) {
                // Closed, or the broker refused: the client sees its connection end.
            }
        }
    }

    private void pump(Socket from, Socket to, boolean reply) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) != -1) {
                if (reply) {
                    awaitResumed();
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // A side closed.
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void awaitResumed() throws InterruptedException {
        synchronized (pauseLock) {
            while (repliesPaused && !server.isClosed()) {
                pauseLock.wait(100);
            }
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // Already closed.
        }
    }
}
