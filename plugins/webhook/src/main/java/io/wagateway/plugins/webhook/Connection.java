package io.wagateway.plugins.webhook;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/**
 * One open connection to a webhook receiver (plain or TLS), with its buffered streams. {@code raw}
 * is the TCP socket under it (the same as {@code socket} without TLS): closing it ends whatever
 * blocks on the connection at once, without a TLS close that could wait on a blocked writer.
 */
final class Connection {

    final Socket raw;
    final Socket socket;
    final InputStream in;
    final OutputStream out;
    long idleSince;

    Connection(Socket raw, Socket socket) throws IOException {
        this.raw = raw;
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 8192);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 8192);
    }

    void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing a connection that failed: nothing more to do.
        }
    }
}
