package io.wagateway.web;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@code multipart/form-data} body (RFC 7578) that is already in memory and bounded: the
 * plugin upload's hidden {@code _csrf} field and its jar. Helidon's multipart module is not served
 * here, and an upload form is the one place that needs it, so this is the small reader it takes.
 */
final class MultipartForm {

    private static final Pattern BOUNDARY = Pattern.compile("boundary=(?:\"([^\"]{1,70})\"|([^;\\s]{1,70}))",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern NAME = Pattern.compile("[;\\s]name=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);
    private static final Pattern FILE_NAME = Pattern.compile("filename=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);
    private static final byte[] HEADER_END = {'\r', '\n', '\r', '\n'};

    private MultipartForm() {
    }

    /** @return the boundary named by a {@code multipart/form-data} content type */
    static Optional<String> boundary(String contentType) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            return Optional.empty();
        }
        Matcher m = BOUNDARY.matcher(contentType);
        return m.find() ? Optional.of(m.group(1) != null ? m.group(1) : m.group(2)) : Optional.empty();
    }

    /**
     * @return the form; parts without a name are skipped
     * @throws IllegalArgumentException when the body is not a well-formed multipart body
     */
    static Form parse(byte[] body, String boundary) {
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        byte[] next = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int at = indexOf(body, delimiter, 0);
        if (at < 0) {
            throw new IllegalArgumentException("no multipart boundary in the body");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        Map<String, Form.Upload> files = new LinkedHashMap<>();
        int pos = at + delimiter.length;
        while (true) {
            if (pos + 2 <= body.length && body[pos] == '-' && body[pos + 1] == '-') {
                return new Form(fields, files);
            }
            if (pos + 2 > body.length || body[pos] != '\r' || body[pos + 1] != '\n') {
                throw new IllegalArgumentException("malformed multipart delimiter");
            }
            int headersStart = pos + 2;
            int headersEnd = indexOf(body, HEADER_END, headersStart);
            if (headersEnd < 0) {
                throw new IllegalArgumentException("multipart part without headers");
            }
            String headers = new String(body, headersStart, headersEnd - headersStart, StandardCharsets.UTF_8);
            int contentStart = headersEnd + HEADER_END.length;
            int contentEnd = indexOf(body, next, contentStart);
            if (contentEnd < 0) {
                throw new IllegalArgumentException("multipart body is not closed");
            }
            String disposition = disposition(headers);
            Matcher name = NAME.matcher(disposition);
            if (name.find()) {
                Matcher file = FILE_NAME.matcher(disposition);
                byte[] content = java.util.Arrays.copyOfRange(body, contentStart, contentEnd);
                if (file.find()) {
                    files.putIfAbsent(name.group(1), new Form.Upload(file.group(1), content));
                } else {
                    fields.putIfAbsent(name.group(1), new String(content, StandardCharsets.UTF_8));
                }
            }
            pos = contentEnd + next.length;
        }
    }

    private static String disposition(String headers) {
        for (String line : headers.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-disposition:")) {
                return line;
            }
        }
        return "";
    }

    static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
