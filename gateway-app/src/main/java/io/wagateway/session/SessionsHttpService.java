package io.wagateway.session;

import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.wagateway.api.QrCodeUpdated;
import io.wagateway.auth.Caller;
import io.wagateway.auth.Principal;
import io.wagateway.http.ApiException;
import io.wagateway.http.Json;
import io.wagateway.http.JsonBody;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /api/sessions}: the contract's Sessions table. */
public final class SessionsHttpService implements HttpService {

    private static final int MAX_LIST = 500;

    private final SessionService sessions;
    private final InboundMessageStore inbound;
    private final long maxBodyBytes;

    public SessionsHttpService(SessionService sessions, InboundMessageStore inbound, long maxBodyBytes) {
        this.sessions = sessions;
        this.inbound = inbound;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::create)
                .get("/", this::list)
                .get("/{id}", this::get)
                .delete("/{id}", this::delete)
                .post("/{id}/start", this::start)
                .post("/{id}/stop", this::stop)
                .post("/{id}/logout", this::logout)
                .get("/{id}/qr", this::qr)
                .post("/{id}/messages", this::send)
                .get("/{id}/messages", this::messages)
                .get("/{id}/messages/{messageId}", this::message)
                .post("/{id}/actions/{action}", this::action);
    }

    private void create(ServerRequest req, ServerResponse res) {
        Principal caller = Caller.of(req);
        JsonBody body = JsonBody.read(req, maxBodyBytes, true);
        Session session = sessions.create(caller, body.requiredString("name", 100), body.optionalString("engine", 64));
        Json.send(res, Status.CREATED_201, view(session));
    }

    private void list(ServerRequest req, ServerResponse res) {
        Principal caller = Caller.of(req);
        Json.send(res, Status.OK_200, sessions.list(caller).stream().map(SessionsHttpService::view).toList());
    }

    private void get(ServerRequest req, ServerResponse res) {
        Json.send(res, Status.OK_200, view(sessions.get(Caller.of(req), id(req))));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        sessions.delete(Caller.of(req), id(req));
        res.status(Status.NO_CONTENT_204).send();
    }

    private void start(ServerRequest req, ServerResponse res) {
        sessions.start(Caller.of(req), id(req));
        accepted(res, id(req), "start");
    }

    private void stop(ServerRequest req, ServerResponse res) {
        sessions.stop(Caller.of(req), id(req));
        accepted(res, id(req), "stop");
    }

    private void logout(ServerRequest req, ServerResponse res) {
        sessions.logout(Caller.of(req), id(req));
        accepted(res, id(req), "logout");
    }

    private void qr(ServerRequest req, ServerResponse res) {
        String format = req.query().first("format").orElse("json");
        // The request's own mistake first: its answer must not depend on whether a QR is pending now.
        if (!List.of("json", "svg", "png").contains(format)) {
            throw ApiException.validation("'format' must be json, svg or png");
        }
        QrCodeUpdated qr = sessions.pendingQr(Caller.of(req), id(req))
                .orElseThrow(() -> ApiException.notFound("No QR code is pending for this session"));
        switch (format) {
            case "json" -> {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("sessionId", qr.sessionId());
                body.put("qrCode", qr.qrCode());
                body.put("status", qr.status().name());
                body.put("attempt", qr.attempt());
                body.put("expiresAt", qr.expiresAt());
                Json.send(res, Status.OK_200, body);
            }
            case "svg" -> {
                res.header(HeaderNames.CONTENT_TYPE, "image/svg+xml");
                res.header(HeaderNames.CACHE_CONTROL, "no-store");
                res.send(QrImages.svg(qr.qrCode()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            case "png" -> {
                res.header(HeaderNames.CONTENT_TYPE, "image/png");
                res.header(HeaderNames.CACHE_CONTROL, "no-store");
                res.send(QrImages.png(qr.qrCode()));
            }
            default -> throw new IllegalStateException("format checked above: " + format);
        }
    }

    private void send(ServerRequest req, ServerResponse res) {
        Principal caller = Caller.of(req);
        String key = req.headers().first(HeaderNames.create("Idempotency-Key")).map(String::strip).orElse(null);
        if (key != null && (key.isEmpty() || key.length() > 128 || !key.matches("[\\x21-\\x7E]+"))) {
            throw ApiException.validation("'Idempotency-Key' must be 1-128 visible ASCII characters");
        }
        JsonBody body = JsonBody.read(req, maxBodyBytes, true);
        String to = body.requiredString("to", 32);
        String text = body.requiredText("text", Integer.MAX_VALUE);
        SessionService.SendResult result = sessions.send(caller, id(req), to, text, key);
        if (result.replayed()) {
            res.header(HeaderNames.create("Idempotent-Replayed"), "true");
        }
        Json.send(res, Status.ACCEPTED_202, Map.of("messageId", result.message().messageId(),
                "status", result.message().status().name()));
    }

    private void messages(ServerRequest req, ServerResponse res) {
        int limit;
        try {
            limit = Integer.parseInt(req.query().first("limit").orElse("100"));
        } catch (NumberFormatException e) {
            throw ApiException.validation("'limit' must be a whole number");
        }
        if (limit < 1 || limit > MAX_LIST) {
            throw ApiException.validation("'limit' must be between 1 and " + MAX_LIST);
        }
        String direction = req.query().first("direction").orElse("out");
        switch (direction) {
            case "out" -> Json.send(res, Status.OK_200, sessions.messages(Caller.of(req), id(req), limit).stream()
                    .map(SessionsHttpService::view).toList());
            case "in" -> {
                // The same 404 as for outgoing messages when the session is missing or not the caller's.
                Session session = sessions.get(Caller.of(req), id(req));
                Json.send(res, Status.OK_200, inbound.list(session.sessionId(), limit).stream()
                        .map(SessionsHttpService::view).toList());
            }
            default -> throw ApiException.validation("'direction' must be in or out");
        }
    }

    private void message(ServerRequest req, ServerResponse res) {
        String messageId = req.path().pathParameters().get("messageId");
        Json.send(res, Status.OK_200, view(sessions.message(Caller.of(req), id(req), messageId)));
    }

    private void action(ServerRequest req, ServerResponse res) {
        Principal caller = Caller.of(req);
        String action = req.path().pathParameters().get("action");
        JsonBody body = JsonBody.read(req, maxBodyBytes, false);
        Map<String, Object> result = sessions.action(caller, id(req), action, body.asMap());
        Json.send(res, Status.OK_200, result);
    }

    private static String id(ServerRequest req) {
        return req.path().pathParameters().get("id");
    }

    private static void accepted(ServerResponse res, String sessionId, String action) {
        Json.send(res, Status.ACCEPTED_202, Map.of("sessionId", sessionId, "accepted", action));
    }

    static Map<String, Object> view(Session s) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("sessionId", s.sessionId());
        view.put("name", s.name());
        view.put("userId", s.userId());
        view.put("engine", s.engine());
        view.put("status", s.status().name());
        if (s.reason() != null) {
            view.put("reason", s.reason().name());
        }
        if (s.phoneNumber() != null) {
            view.put("phoneNumber", s.phoneNumber());
        }
        if (s.displayName() != null) {
            view.put("displayName", s.displayName());
        }
        view.put("createdAt", s.createdAt());
        view.put("updatedAt", s.updatedAt());
        return view;
    }

    static Map<String, Object> view(Message m) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("messageId", m.messageId());
        view.put("sessionId", m.sessionId());
        view.put("to", m.to());
        view.put("text", m.text());
        view.put("status", m.status().name());
        if (m.error() != null) {
            view.put("error", m.error());
        }
        view.put("createdAt", m.createdAt());
        view.put("updatedAt", m.updatedAt());
        if (m.deliveredAt() != null) {
            view.put("deliveredAt", m.deliveredAt());
        }
        view.put("history", m.history().stream().map(h -> {
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("status", h.status().name());
            step.put("at", h.at());
            if (h.error() != null) {
                step.put("error", h.error());
            }
            return step;
        }).toList());
        return view;
    }

    static Map<String, Object> view(ReceivedMessage m) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("messageId", m.messageId());
        view.put("sessionId", m.sessionId());
        view.put("from", m.from());
        if (m.fromName() != null) {
            view.put("fromName", m.fromName());
        }
        view.put("chatId", m.chatId());
        if (m.text() != null) {
            view.put("text", m.text());
        }
        view.put("type", m.type());
        view.put("timestamp", m.timestamp());
        view.put("receivedAt", m.receivedAt());
        return view;
    }
}
