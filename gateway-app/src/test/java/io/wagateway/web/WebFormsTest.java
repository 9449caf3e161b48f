package io.wagateway.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wagateway.error.DomainException;
import io.wagateway.http.ErrorHandlers;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The web UI's form readers, CSRF tokens and refusal mapping, without HTTP. */
class WebFormsTest {

    @Test
    void urlEncodedFormsDecodeAndKeepTheFirstValue() {
        Form form = Form.urlEncoded("_csrf=abc&name=My+phone%21&name=second&p.phoneNumber=%2B62&bad=%E0%A4%A&empty=");
        assertEquals("My phone!", form.fields().get("name"));
        assertEquals(Optional.of("+62"), form.text("p.phoneNumber"));
        assertEquals("%E0%A4%A", form.raw("bad"), "a malformed escape is kept as typed");
        assertEquals(Optional.empty(), form.text("empty"));
        assertEquals(List.of("phoneNumber"), List.copyOf(form.withPrefix("p.").keySet()));
    }

    @Test
    void multipartUploadsReadFieldsAndFiles() {
        byte[] jar = {'P', 'K', 3, 4, 0, '\r', '\n', '-', '-', 1, 2};
        String head = "--XyZ\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\ntoken\r\n"
                + "--XyZ\r\nContent-Disposition: form-data; name=\"jar\"; filename=\"a.jar\"\r\nContent-Type: application/java-archive\r\n\r\n";
        byte[] body = concat(head.getBytes(StandardCharsets.UTF_8), jar, "\r\n--XyZ--\r\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(Optional.of("XyZ"), MultipartForm.boundary("multipart/form-data; boundary=XyZ"));
        assertEquals(Optional.of("a b"), MultipartForm.boundary("multipart/form-data; boundary=\"a b\""));
        assertEquals(Optional.empty(), MultipartForm.boundary("application/x-www-form-urlencoded"));
        Form form = MultipartForm.parse(body, "XyZ");
        assertEquals("token", form.fields().get("_csrf"));
        assertEquals("a.jar", form.files().get("jar").fileName());
        assertArrayEquals(jar, form.files().get("jar").content());
        assertThrows(IllegalArgumentException.class, () -> MultipartForm.parse("no boundary".getBytes(StandardCharsets.UTF_8), "XyZ"));
        assertThrows(IllegalArgumentException.class, () -> MultipartForm.parse(
                "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nunterminated".getBytes(StandardCharsets.UTF_8), "XyZ"));
    }

    @Test
    void csrfTokensAreBoundToTheSignInAndTheSecret() {
        CsrfTokens tokens = new CsrfTokens("a-secret-of-at-least-thirty-two-bytes!".getBytes(StandardCharsets.UTF_8));
        String one = tokens.forSignedIn("jti-1");
        assertEquals(one, tokens.forSignedIn("jti-1"));
        assertNotEquals(one, tokens.forSignedIn("jti-2"));
        assertNotEquals(one, tokens.forLogin("jti-1"));
        assertNotEquals(one, new CsrfTokens("another-secret-of-thirty-two-bytes!!".getBytes(StandardCharsets.UTF_8)).forSignedIn("jti-1"));
        assertTrue(CsrfTokens.matches(one, one));
        assertFalse(CsrfTokens.matches(one, ""));
        assertFalse(CsrfTokens.matches(one, null));
        assertFalse(CsrfTokens.matches(one, one + "x"));
    }

    @Test
    void refusalsGoNextToTheFieldTheyName() {
        List<String> fields = List.of("name", "engine", "displayName");
        assertEquals("name", Refusals.field(new DomainException.Invalid("'name' must be at most 100 characters"), fields));
        assertEquals("displayName", Refusals.field(new DomainException.Invalid("displayName must be a non-empty string"), fields));
        assertEquals(Refusals.FORM, Refusals.field(new DomainException.Conflict("Session is already started"), fields));
        assertEquals(409, ErrorHandlers.statusOf(new DomainException.Conflict("x")).code());
        assertEquals(404, ErrorHandlers.statusOf(new DomainException.NotFound("x")).code());
    }

    @Test
    void theGuardKeepsToTheWebUisPaths() {
        for (String path : List.of("/", "/login", "/sessions", "/sessions/x/start", "/users", "/plugins/remove", "/events", "/static/app.js")) {
            assertTrue(WebGuard.isWebPath(path), path);
        }
        for (String path : List.of("/observe/health", "/observe/metrics", "/openapi", "/api/sessions", "/loginx", "/favicon.ico")) {
            assertFalse(WebGuard.isWebPath(path), path);
        }
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }
}
