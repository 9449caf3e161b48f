package io.wagateway.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The one JSON mapper of the host, and the contract's timestamp form (ISO-8601 UTC, milliseconds). */
public final class Json {

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /** Far beyond any request of the API, far below what could exhaust the parser's stack. */
    public static final int MAX_NESTING_DEPTH = 64;
    /** No number in the API needs more digits; long ones cost quadratic time to parse. */
    public static final int MAX_NUMBER_LENGTH = 100;

    public static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .maxNumberLength(MAX_NUMBER_LENGTH)
                    .build())
            .build())
            .registerModule(new SimpleModule().addSerializer(Instant.class, new JsonSerializer<>() {
                @Override
                public void serialize(Instant value, JsonGenerator gen, SerializerProvider serializers)
                        throws IOException {
                    gen.writeString(timestamp(value));
                }
            }))
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {
    }

    /** @return {@code 2024-01-15T10:30:00.000Z} form */
    public static String timestamp(Instant instant) {
        long millis = instant.toEpochMilli();
        java.time.LocalDateTime t = java.time.LocalDateTime.ofEpochSecond(Math.floorDiv(millis, 1000), 0, ZoneOffset.UTC);
        if (t.getYear() < 1 || t.getYear() > 9999) {
            return TIMESTAMP.format(instant);
        }
        // Written by hand: every event carries one, and the formatter cost more than the rest of an envelope.
        byte[] c = "0000-00-00T00:00:00.000Z".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        digits(c, 0, 4, t.getYear());
        digits(c, 5, 2, t.getMonthValue());
        digits(c, 8, 2, t.getDayOfMonth());
        digits(c, 11, 2, t.getHour());
        digits(c, 14, 2, t.getMinute());
        digits(c, 17, 2, t.getSecond());
        digits(c, 20, 3, (int) Math.floorMod(millis, 1000));
        return new String(c, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static void digits(byte[] into, int at, int width, int value) {
        for (int i = at + width - 1; i >= at; i--) {
            into[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }

    public static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void send(ServerResponse res, Status status, Object body) {
        res.status(status);
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.send(bytes(body));
    }
}
