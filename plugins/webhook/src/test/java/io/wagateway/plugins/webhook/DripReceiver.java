package io.wagateway.plugins.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A raw receiver on loopback that takes the request, answers {@code HTTP/1.1 200 OK}, and then
 * drips one byte of a header line every 200 ms, forever: each read gets a byte well within any
 * per-read timeout, and the answer never ends. It notes when the request arrived and when the
 * client closed its connection.
 */
final class DripReceiver implements AutoCloseable {

    final CountDownLatch requested = new CountDownLatch(1);
    final CountDownLatch closedByClient = new CountDownLatch(1);
    private final ServerSocket server;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();

    DripReceiver() throws IOException {
        server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("drip-accept").start(this::accept);
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort() + "/slow?token=s3cr3t";
    }

    private void accept() {
        try {
            while (true) {
                Socket s = server.accept();
                accepted.add(s);
                Thread.ofPlatform().daemon().name("drip-read").start(() -> read(s));
            }
        } catch (IOException closed) {
            // close() ends the receiver.
        }
    }

    /** Reads the request, starts the drip, then reads on until the client closes. */
    private void read(Socket s) {
        try {
            InputStream in = s.getInputStream();
            int matched = 0;
            byte[] end = "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
            while (matched < end.length) {
                int b = in.read();
                if (b < 0) {
                    return;
                }
                matched = b == end[matched] ? matched + 1 : b == end[0] ? 1 : 0;
            }
            requested.countDown();
            Thread.ofPlatform().daemon().name("drip-write").start(() -> drip(s));
            while (in.read() >= 0) {
                // the body, then nothing until the client closes
            }
            closedByClient.countDown();
        } catch (IOException e) {
            if (!s.isClosed()) {
                closedByClient.countDown(); // reset by the client
            }
        }
    }

    private static void drip(Socket s) {
        try {
            OutputStream out = s.getOutputStream();
            out.write("HTTP/1.1 200 OK\r\nX-Drip: ".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            while (true) {
                Thread.sleep(200);
                out.write('a');
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // the connection is gone
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : accepted) {
            s.close();
        }
    }
}
