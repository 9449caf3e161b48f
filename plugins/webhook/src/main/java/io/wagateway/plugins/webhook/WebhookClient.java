package io.wagateway.plugins.webhook;

import io.wagateway.api.PluginException;
import io.wagateway.plugins.webhook.Deadlines.Deadline;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
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
 * same receiver ({@link ConnectionPool}); one that turns out closed is replaced once. The timeout is
 * a deadline for the whole request, enforced by closing its socket ({@link Deadlines}).
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
    private final Deadlines deadlines = new Deadlines();

    WebhookClient(Duration timeout, boolean allowPrivate) {
        this.timeout = timeout;
        this.allowPrivate = allowPrivate;
    }

    /**
     * @return the answer's HTTP status code
     * @throws IOException when the target cannot be reached, or does not answer whole in time (the
     *                     timeout is a deadline for connecting, sending and reading all the answer)
     * @throws RefusedTarget when it resolves only to refused addresses
     */
    int post(URI url, Map<String, String> headers, byte[] body) throws IOException {
        boolean https = "https".equalsIgnoreCase(url.getScheme());
        String host = url.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = url.getPort() != -1 ? url.getPort() : https ? 443 : 80;
        String key = (https ? "https://" : "http://") + host + ":" + port;
        byte[] head = head(url, host, port, https, headers, body.length).getBytes(StandardCharsets.ISO_8859_1);
        Deadline deadline = deadlines.start(timeout);
        Connection c = pool.take(key);
        try {
            Answer answer = null;
            if (c != null) {
                try {
                    answer = exchange(c, deadline, head, body);
                } catch (IOException stale) {
                    // The receiver closed the idle connection meanwhile: once more on a new one, time allowing.
                    c.close();
                    c = null;
                    if (deadline.over()) {
                        throw stale;
                    }
                }
            }
            if (answer == null) {
                c = open(host, port, https, deadline);
                answer = exchange(c, deadline, head, body);
            }
            if (answer.reusable() && deadline.finish()) {
                pool.give(key, c);
                c = null;
            }
            return answer.status();
        } catch (IOException e) {
            throw deadline.explain(e);
        } finally {
            if (c != null) {
                c.close(); // still under the deadline: a TLS close cannot hang
            }
            deadline.finish();
        }
    }

    /** Connects to an allowed address of the host, under the deadline from the first step. */
    private Connection open(String host, int port, boolean https, Deadline deadline) throws IOException {
        InetAddress address = allowedAddress(host);
        Socket plain = new Socket();
        try {
            deadline.watch(plain);
            plain.connect(new InetSocketAddress(address, port), deadline.remainingMillis());
            plain.setTcpNoDelay(true);
            plain.setSoTimeout(deadline.remainingMillis());
            return new Connection(plain, https ? tls(plain, host, port) : plain);
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    /** Sends the request and reads the whole answer; passing the deadline closes the connection. */
    private static Answer exchange(Connection c, Deadline deadline, byte[] head, byte[] body) throws IOException {
        deadline.watch(c.raw);
        // Each read is bounded too, by the time left; the deadline bounds them all.
        c.socket.setSoTimeout(deadline.remainingMillis());
        c.out.write(head);
        c.out.write(body);
        c.out.flush();
        return Answer.read(c.in);
    }

    /** Closes the idle connections and those of requests still in flight, and stops the watchdog. */
    void close() {
        deadlines.close();
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
}
