package io.wagateway.delivery;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.wagateway.auth.Caller;
import io.wagateway.auth.Principal;
import io.wagateway.http.ApiException;
import io.wagateway.http.Json;
import io.wagateway.http.JsonBody;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/webhooks}: subscriptions {@code {url, events[], sessionId?, secret?, enabled}} (per
 * session by its owner, for every session by admins), the retry of a subscription's dead
 * deliveries, and the replay of a time range. The secret is in the answer to the create only.
 */
public final class WebhooksHttpService implements HttpService {

    private final WebhookSubscriptions subscriptions;
    private final Deliveries deliveries;
    private final long maxBodyBytes;

    public WebhooksHttpService(WebhookSubscriptions subscriptions, Deliveries deliveries, long maxBodyBytes) {
        this.subscriptions = subscriptions;
        this.deliveries = deliveries;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::create)
                .get("/", this::list)
                .get("/{id}", this::get)
                .patch("/{id}", this::update)
                .delete("/{id}", this::delete)
                .post("/{id}/retry-dead", this::retryDead)
                .post("/{id}/replay", this::replay);
    }

    private void create(ServerRequest req, ServerResponse res) {
        Principal caller = Caller.of(req);
        JsonBody body = JsonBody.read(req, maxBodyBytes, true);
        Map<String, Object> fields = body.asMap();
        WebhookSubscriptions.Created created = subscriptions.create(caller, body.requiredString("url", 2048),
                events(fields), body.optionalString("sessionId", 128), body.optionalString("secret", 200),
                bool(fields, "enabled", true));
        Map<String, Object> view = view(created.subscription());
        view.put("secret", created.secret());
        Json.send(res, Status.CREATED_201, view);
    }

    private void list(ServerRequest req, ServerResponse res) {
        Json.send(res, Status.OK_200, subscriptions.list(Caller.of(req)).stream().map(WebhooksHttpService::view).toList());
    }

    private void get(ServerRequest req, ServerResponse res) {
        Json.send(res, Status.OK_200, view(subscriptions.get(Caller.of(req), id(req))));
    }

    private void update(ServerRequest req, ServerResponse res) {
        Principal caller = Caller.of(req);
        JsonBody body = JsonBody.read(req, maxBodyBytes, true);
        Map<String, Object> fields = body.asMap();
        for (String field : fields.keySet()) {
            if (!List.of("url", "events", "enabled").contains(field)) {
                throw ApiException.validation("'" + field + "' cannot be changed (url, events and enabled can)");
            }
            // A null would read as the create's default (enabled, every event): leave the field out to keep it.
            if (fields.get(field) == null) {
                throw ApiException.validation("'" + field + "' cannot be null: leave it out to keep it");
            }
        }
        WebhookSubscription s = subscriptions.update(caller, id(req), new WebhookSubscriptions.Patch(
                body.optionalString("url", 2048), fields.containsKey("events") ? events(fields) : null,
                fields.containsKey("enabled") ? bool(fields, "enabled", true) : null));
        Json.send(res, Status.OK_200, view(s));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        subscriptions.delete(Caller.of(req), id(req));
        res.status(Status.NO_CONTENT_204).send();
    }

    private void retryDead(ServerRequest req, ServerResponse res) {
        long queued = deliveries.retryDead(Caller.of(req), id(req));
        Json.send(res, Status.ACCEPTED_202, Map.of("subscriptionId", id(req), "queued", queued));
    }

    private void replay(ServerRequest req, ServerResponse res) {
        Principal caller = Caller.of(req);
        JsonBody body = JsonBody.read(req, maxBodyBytes, true);
        long queued = deliveries.replay(caller, id(req), instant(body.requiredString("from", 40), "from"),
                instant(body.requiredString("to", 40), "to"));
        Json.send(res, Status.ACCEPTED_202, Map.of("subscriptionId", id(req), "queued", queued));
    }

    static Instant instant(String text, String field) {
        try {
            Instant at = Instant.parse(text);
            // The outbox keeps epoch milliseconds: a year far beyond them would fail as a 500 later.
            at.toEpochMilli();
            return at;
        } catch (DateTimeParseException | ArithmeticException e) {
            throw ApiException.validation("'" + field + "' must be an ISO-8601 UTC time like 2024-01-15T10:30:00.000Z");
        }
    }

    private static String id(ServerRequest req) {
        return req.path().pathParameters().get("id");
    }

    private static List<String> events(Map<String, Object> fields) {
        Object events = fields.get("events");
        if (events == null) {
            return List.of();
        }
        if (!(events instanceof List<?> list) || list.stream().anyMatch(e -> !(e instanceof String))) {
            throw ApiException.validation("'events' must be an array of event names");
        }
        return list.stream().map(String.class::cast).toList();
    }

    private static boolean bool(Map<String, Object> fields, String field, boolean absent) {
        Object value = fields.get(field);
        if (value == null) {
            return absent;
        }
        if (!(value instanceof Boolean b)) {
            throw ApiException.validation("'" + field + "' must be true or false");
        }
        return b;
    }

    static Map<String, Object> view(WebhookSubscription s) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", s.id());
        v.put("url", s.url());
        v.put("events", s.events());
        if (s.sessionId() != null) {
            v.put("sessionId", s.sessionId());
        }
        v.put("enabled", s.enabled());
        if (s.disabledReason() != null) {
            v.put("disabledReason", s.disabledReason());
        }
        v.put("userId", s.userId());
        v.put("createdAt", s.createdAt());
        v.put("updatedAt", s.updatedAt());
        return v;
    }
}
