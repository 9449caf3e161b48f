package io.wagateway.plugins.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A receiver's HTTP/1.1 answer, read whole (status line, headers, body skipped) so that its
 * connection can carry the next request. Bounded: a line over 8 KiB, more than 100 header lines or
 * a body over 1 MiB end the connection instead.
 *
 * @param status   the status code
 * @param reusable whether the connection may carry another request
 */
record Answer(int status, boolean reusable) {

    private static final int MAX_LINE = 8192;
    private static final int MAX_HEADERS = 100;
    private static final long MAX_BODY = 1 << 20;

    static Answer read(InputStream in) throws IOException {
        String statusLine = line(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].toUpperCase(Locale.ROOT).startsWith("HTTP/")) {
            throw new IOException(statusLine.isEmpty() ? "Connection closed without an answer" : "Not an HTTP answer");
        }
        int status;
        try {
            status = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("Not an HTTP status: " + parts[1]);
        }
        boolean keepAlive = parts[0].equalsIgnoreCase("HTTP/1.1");
        long length = -1;
        boolean chunked = false;
        for (int i = 0; ; i++) {
            if (i > MAX_HEADERS) {
                return new Answer(status, false);
            }
            String header = line(in);
            if (header.isEmpty()) {
                break;
            }
            int colon = header.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
            switch (name) {
                case "content-length" -> {
                    try {
                        length = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        return new Answer(status, false);
                    }
                }
                case "transfer-encoding" -> chunked = value.contains("chunked");
                case "connection" -> keepAlive = keepAlive ? !value.contains("close") : value.contains("keep-alive");
                default -> {
                }
            }
        }
        if (status == 204 || status == 304 || status < 200) {
            return new Answer(status, keepAlive && status >= 200);
        }
        if (chunked) {
            return new Answer(status, keepAlive && skipChunks(in));
        }
        if (length < 0 || length > MAX_BODY) {
            // Until the connection closes, or too much: not worth reading for a status code.
            return new Answer(status, false);
        }
        return new Answer(status, keepAlive && skip(in, length));
    }

    private static boolean skipChunks(InputStream in) throws IOException {
        long total = 0;
        while (true) {
            String size = line(in);
            int semicolon = size.indexOf(';');
            long n;
            try {
                n = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
            } catch (NumberFormatException e) {
                return false;
            }
            total += n;
            if (total > MAX_BODY) {
                return false;
            }
            if (n == 0) {
                while (!line(in).isEmpty()) {
                    // trailers
                }
                return true;
            }
            if (!skip(in, n)) {
                return false;
            }
            line(in);
        }
    }

    private static boolean skip(InputStream in, long n) throws IOException {
        long left = n;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    return false;
                }
                skipped = 1;
            }
            left -= skipped;
        }
        return true;
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder(64);
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (line.length() >= MAX_LINE) {
                throw new IOException("Answer line too long");
            }
            line.append((char) c);
        }
        if (c == -1 && line.isEmpty()) {
            return "";
        }
        return new String(line.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.ISO_8859_1).strip();
    }
}
