package io.wagateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.wagateway.http.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** Real HTTP calls against a test gateway, with JSON bodies and answers. */
public final class ApiClient {

    /** An answer: status, raw body, and the body parsed when it is JSON. */
    public record Response(int status, String body, HttpResponse<String> raw) {
        public JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("Not JSON (" + status + "): " + body, e);
            }
        }

        public String errorCode() {
            return json().path("error").path("code").asText();
        }
    }

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String baseUrl;
    private final String token;
    private final HttpClient client;

    public ApiClient(String baseUrl) {
        this(baseUrl, null, CLIENT);
    }

    private ApiClient(String baseUrl, String token, HttpClient client) {
        this.baseUrl = baseUrl;
        this.token = token;
        this.client = client;
    }

    public ApiClient withToken(String bearer) {
        return new ApiClient(baseUrl, bearer, client);
    }

    /** A client whose connections come from another loopback address (127.0.0.2 …), as another machine's would. */
    public ApiClient from(String loopbackAddress) {
        try {
            return new ApiClient(baseUrl, token, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                    .localAddress(java.net.InetAddress.getByName(loopbackAddress)).build());
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Logs in and returns a client that sends the token. */
    public ApiClient login(String username, String password) {
        Response r = post("/api/auth/login", Map.of("username", username, "password", password));
        if (r.status() != 200) {
            throw new AssertionError("Login of " + username + " failed: " + r.status() + " " + r.body());
        }
        return withToken(r.json().get("token").asText());
    }

    public ApiClient loginAdmin() {
        return login(TestGateway.ADMIN, TestGateway.ADMIN_PASSWORD);
    }

    /** Creates a user (as this client, an admin) and returns a client logged in as them. */
    public ApiClient createUser(String username, String password) {
        Response r = post("/api/users", Map.of("username", username, "password", password, "role", "USER"));
        if (r.status() != 201) {
            throw new AssertionError("Creating " + username + " failed: " + r.status() + " " + r.body());
        }
        return new ApiClient(baseUrl, null, client).login(username, password);
    }

    public String token() {
        return token;
    }

    public Response get(String path) {
        return send(builder(path).GET());
    }

    public Response delete(String path) {
        return send(builder(path).DELETE());
    }

    public Response patch(String path, Object body) {
        return send(builder(path).method("PATCH", HttpRequest.BodyPublishers.ofByteArray(Json.bytes(body)))
                .header("Content-Type", "application/json"));
    }

    public Response post(String path, Object body) {
        return postRaw(path, body == null ? "" : new String(Json.bytes(body)), Map.of());
    }

    public Response post(String path, Object body, Map<String, String> headers) {
        return postRaw(path, body == null ? "" : new String(Json.bytes(body)), headers);
    }

    public Response postRaw(String path, String body, Map<String, String> headers) {
        HttpRequest.Builder b = builder(path).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        headers.forEach(b::header);
        return send(b);
    }

    public Response send(HttpRequest.Builder builder) {
        try {
            HttpResponse<String> r = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body(), r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpRequest.Builder builder(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }
}
