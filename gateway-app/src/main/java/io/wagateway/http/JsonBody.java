package io.wagateway.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * Reads a request's JSON object body within the configured size limit: {@code 413} past the limit,
 * {@code 408} when it arrives slower than {@code gateway.http.body-timeout} allows ({@link ConnectionGuard}),
 * {@code 400} for anything that is not a JSON object. Field readers give clear validation errors.
 */
public final class JsonBody {

    private final ObjectNode node;

    private JsonBody(ObjectNode node) {
        this.node = node;
    }

    /**
     * @param required when false, an empty body reads as {@code {}}
     */
    public static JsonBody read(ServerRequest req, long maxBytes, boolean required) {
        if (req.headers().contentLength().orElse(0) > maxBytes) {
            throw tooLarge(maxBytes);
        }
        byte[] bytes;
        try (InputStream in = req.content().inputStream()) {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        } catch (CloseConnectionException e) {
            throw e; // the connection is gone: Helidon ends it without an answer
        } catch (ConnectionGuard.BodyTooSlowException e) {
            throw ApiException.timeout(e.getMessage() + "; the connection is closed");
        } catch (IOException | RuntimeException e) {
            // The client's framing is at fault (body shorter than its Content-Length, a bad chunk
            // size, the connection closed mid-body): a 400 for the client, not a 500 for the log.
            throw ApiException.validation("Request body could not be read: it ended early or its framing is malformed");
        }
        if (bytes.length > maxBytes) {
            throw tooLarge(maxBytes);
        }
        if (bytes.length == 0 || isBlank(bytes)) {
            if (required) {
                throw ApiException.validation("Request body must be a JSON object");
            }
            return new JsonBody(JsonNodeFactory.instance.objectNode());
        }
        JsonNode parsed;
        try {
            parsed = Json.MAPPER.readTree(bytes);
        } catch (StreamConstraintsException e) {
            throw ApiException.validation("JSON too complex: nesting deeper than " + Json.MAX_NESTING_DEPTH
                    + " levels, or a number longer than " + Json.MAX_NUMBER_LENGTH + " digits");
        } catch (JacksonException e) {
            JsonLocation at = e.getLocation();
            throw ApiException.validation(at == null || at.getLineNr() < 0 ? "Malformed JSON"
                    : "Malformed JSON at line " + at.getLineNr() + ", column " + at.getColumnNr());
        } catch (IOException e) {
            throw ApiException.validation("Malformed JSON");
        }
        if (!(parsed instanceof ObjectNode object)) {
            throw ApiException.validation("Request body must be a JSON object");
        }
        return new JsonBody(object);
    }

    /** @return the text of a required string field, trimmed, between 1 and maxLength characters */
    public String requiredString(String field, int maxLength) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw ApiException.validation("'" + field + "' is required");
        }
        return checkString(field, value, maxLength);
    }

    /** @return a required string field exactly as sent (message text keeps its spaces), not blank */
    public String requiredText(String field, int maxLength) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw ApiException.validation("'" + field + "' is required");
        }
        checkString(field, value, maxLength);
        return value.textValue();
    }

    /** @return the text of an optional string field, or null when absent or null */
    public String optionalString(String field, int maxLength) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        return checkString(field, value, maxLength);
    }

    /** @return the body as plain Java values (maps, lists, strings, numbers, booleans) */
    @SuppressWarnings("unchecked")
    public Map<String, Object> asMap() {
        return Json.MAPPER.convertValue(node, Map.class);
    }

    private static String checkString(String field, JsonNode value, int maxLength) {
        if (!value.isTextual()) {
            throw ApiException.validation("'" + field + "' must be a string");
        }
        String text = value.textValue().strip();
        if (text.isEmpty()) {
            throw ApiException.validation("'" + field + "' must not be empty");
        }
        if (text.length() > maxLength) {
            throw ApiException.validation("'" + field + "' must be at most " + maxLength + " characters");
        }
        return text;
    }

    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (!Character.isWhitespace(b)) {
                return false;
            }
        }
        return true;
    }

    private static ApiException tooLarge(long maxBytes) {
        return ApiException.tooLarge("Request body exceeds " + maxBytes + " bytes");
    }
}
