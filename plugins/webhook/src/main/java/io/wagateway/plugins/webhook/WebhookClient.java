package io.wagateway.plugins.webhook;

import io.wagateway.api.PluginException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One webhook POST over HTTP/1.1 ({@code Connection: close}), written by hand so that the address
 * that is checked is the address that is connected to: the host name is resolved once, every
 * resolved address is checked ({@link TargetAddresses}), and the socket connects to an allowed
 * one. TLS runs over that socket with the host name for SNI and certificate checks. The answer's
 * status line is all that is read; a redirect is an answer like any other (never followed).
 */
final class WebhookClient {

    /** The target resolves only to addresses that are refused: fatal, retrying cannot help. */
    static final class RefusedTarget extends PluginException {
        RefusedTarget(String message) {
            super(message);
        }
    }

    private static final int MAX_STATUS_LINE = 1024;

    private final Duration timeout;
    private final boolean allowPrivate;

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
        InetAddress address = allowedAddress(host);
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(address, port), remainingMillis(deadline));
            plain.setSoTimeout(remainingMillis(deadline));
            plain.setTcpNoDelay(true);
            Socket socket = https ? tls(plain, host, port) : plain;
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 8192);
            out.write(head(url, host, port, https, headers, body.length).getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            socket.setSoTimeout(remainingMillis(deadline));
            return status(socket.getInputStream());
        }
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
        h.append("Connection: close\r\n");
        h.append("User-Agent: wa-gateway-webhook/1\r\n");
        headers.forEach((k, v) -> h.append(k).append(": ").append(v).append("\r\n"));
        return h.append("\r\n").toString();
    }

    private static int status(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder(32);
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (line.length() >= MAX_STATUS_LINE) {
                throw new IOException("Status line too long");
            }
            line.append((char) c);
        }
        String text = line.toString().strip();
        String[] parts = text.split(" ", 3);
        if (parts.length < 2 || !parts[0].toUpperCase(Locale.ROOT).startsWith("HTTP/")) {
            throw new IOException(text.isEmpty() ? "Connection closed without an answer" : "Not an HTTP answer");
        }
        try {
            return Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("Not an HTTP status: " + parts[1]);
        }
    }

    private static int remainingMillis(long deadline) throws SocketTimeoutException {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new SocketTimeoutException("Webhook request timed out");
        }
        return (int) Math.min(Integer.MAX_VALUE, left);
    }
}
