package io.wagateway.plugins.webhook;

import io.wagateway.api.PluginException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One webhook POST over HTTP/1.1, written by hand so that the address that is checked is the
 * address that is connected to: the host name is resolved once, every resolved address is checked
 * ({@link TargetAddresses}), and the socket connects to an allowed one. TLS runs over that socket
 * with the host name for SNI and certificate checks. The answer is read whole; a redirect is an
 * answer like any other (never followed). Connections are kept alive for the next request to the
 * same receiver ({@link ConnectionPool}); one that turns out closed is replaced once.
 */
final class WebhookClient {

    /** The target resolves only to addresses that are refused: fatal, retrying cannot help. */
    static final class RefusedTarget extends PluginException {
        RefusedTarget(String message) {
            super(message);
        }
    }

    private final Duration timeout;
    private final boolean allowPrivate;
    private final ConnectionPool pool = new ConnectionPool();

    WebhookClient(Duration timeout, boolean allowPrivate) {
        this.timeout = timeout;
        this.allowPrivate = allowPrivate;
    }

    /**
     * @return the answer's HTTP status code
     * @throws IOException when the target cannot be reached, or does not answer in time
     * @throws RefusedTarget when it resolves only to refused addresses
     */
    int post(URI url, Map<String, String> headers, byte[] body) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean https = "https".equalsIgnoreCase(url.getScheme());
        String host = url.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = url.getPort() != -1 ? url.getPort() : https ? 443 : 80;
        String key = (https ? "https://" : "http://") + host + ":" + port;
        byte[] head = head(url, host, port, https, headers, body.length).getBytes(StandardCharsets.ISO_8859_1);
        Connection idle = pool.take(key);
        if (idle != null) {
            try {
                return exchange(idle, key, head, body, deadline);
            } catch (IOException stale) {
                // The receiver closed the idle connection meanwhile: once more on a new one.
                idle.close();
            }
        }
        InetAddress address = allowedAddress(host);
        Socket plain = new Socket();
        Connection fresh;
        try {
            plain.connect(new InetSocketAddress(address, port), remainingMillis(deadline));
            plain.setTcpNoDelay(true);
            plain.setSoTimeout(remainingMillis(deadline));
            fresh = new Connection(https ? tls(plain, host, port) : plain);
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
        try {
            return exchange(fresh, key, head, body, deadline);
        } catch (IOException | RuntimeException e) {
            fresh.close();
            throw e;
        }
    }

    /** Sends the request, reads the whole answer, and pools the connection when it may be reused. */
    private int exchange(Connection c, String key, byte[] head, byte[] body, long deadline) throws IOException {
        c.socket.setSoTimeout(remainingMillis(deadline));
        c.out.write(head);
        c.out.write(body);
        c.out.flush();
        Answer answer = Answer.read(c.in);
        if (answer.reusable()) {
            pool.give(key, c);
        } else {
            c.close();
        }
        return answer.status();
    }

    /** Closes the idle connections. */
    void close() {
        pool.closeAll();
    }

    private InetAddress allowedAddress(String host) throws IOException {
        InetAddress[] all = InetAddress.getAllByName(host);
        String refused = null;
        for (InetAddress a : all) {
            String why = allowPrivate ? null : TargetAddresses.refusal(a);
            if (why == null) {
                return a;
            }
            refused = why;
        }
        throw new RefusedTarget("Refused: " + host + " resolves to a " + refused + " address (" + all[0].getHostAddress()
                + "); private targets are not allowed (gateway.webhooks.allow-private-targets)");
    }

    private static Socket tls(Socket plain, String host, int port) throws IOException {
        SSLSocket ssl;
        try {
            ssl = (SSLSocket) SSLContext.getDefault().getSocketFactory().createSocket(plain, host, port, true);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IOException("No TLS available", e);
        }
        SSLParameters params = ssl.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        if (!host.contains(":") && !host.matches("[0-9.]+")) {
            params.setServerNames(List.of(new SNIHostName(host)));
        }
        ssl.setSSLParameters(params);
        ssl.startHandshake();
        return ssl;
    }

    private static String head(URI url, String host, int port, boolean https, Map<String, String> headers, int length) {
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        if (url.getRawQuery() != null) {
            path += "?" + url.getRawQuery();
        }
        boolean defaultPort = port == (https ? 443 : 80);
        String hostHeader = (host.contains(":") ? "[" + host + "]" : host) + (defaultPort ? "" : ":" + port);
        StringBuilder h = new StringBuilder(256);
        h.append("POST ").append(path).append(" HTTP/1.1\r\n");
        h.append("Host: ").append(hostHeader).append("\r\n");
        h.append("Content-Type: application/json\r\n");
        h.append("Content-Length: ").append(length).append("\r\n");
        h.append("User-Agent: wa-gateway-webhook/1\r\n");
        headers.forEach((k, v) -> h.append(k).append(": ").append(v).append("\r\n"));
        return h.append("\r\n").toString();
    }

    private static int remainingMillis(long deadline) throws SocketTimeoutException {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new SocketTimeoutException("Webhook request timed out");
        }
        return (int) Math.min(Integer.MAX_VALUE, left);
    }
}
