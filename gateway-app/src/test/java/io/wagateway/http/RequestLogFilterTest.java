package io.wagateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wagateway.testing.ApiClient;
import io.wagateway.testing.Await;
import io.wagateway.testing.LogCapture;
import io.wagateway.testing.TestGateway;
import java.util.List;
import java.util.Map;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/** The access log: one line per request, its caller, never its query. */
class RequestLogFilterTest {

    @Test
    void theDurationHasThreeDecimalsAsTheFormatItReplacesWroteIt() {
        for (long micros : new long[] {0, 5, 45, 999, 1000, 1001, 12_045, 1_234_567, 86_400_000_123L}) {
            assertEquals(micros / 1000 + "." + String.format("%03d", micros % 1000), RequestLogFilter.millis(micros));
        }
    }

    @Test
    void aRequestIsOneLineWithItsCallerAndItsSourceNamedButNotItsQuery() {
        List<LogRecord> records;
        try (TestGateway gw = TestGateway.start(Map.of()); LogCapture access = LogCapture.on("io.wagateway.access")) {
            ApiClient admin = gw.api().loginAdmin();
            assertEquals(200, admin.get("/api/sessions?limit=5&note=secret-in-query").status());
            assertEquals(401, gw.api().get("/api/sessions").status());
            // Each line is written once its answer has gone out, so the client may be first.
            Await.until("both lines", () -> lines(access.records()).stream().anyMatch(l -> l.contains(" 401 ")),
                    () -> lines(access.records()));
            records = access.records();
        }
        List<String> lines = lines(records);
        assertTrue(lines.stream().anyMatch(l -> l.matches("GET /api/sessions 200 \\d+\\.\\d{3}ms user=(?!-)\\S+")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.matches("GET /api/sessions 401 \\d+\\.\\d{3}ms user=-")), lines.toString());
        assertFalse(lines.stream().anyMatch(l -> l.contains("secret-in-query")), lines.toString());
        records.forEach(r -> assertEquals(RequestLogFilter.class.getName(), r.getSourceClassName()));
    }

    private static List<String> lines(List<LogRecord> records) {
        return records.stream().map(LogRecord::getMessage).toList();
    }
}
