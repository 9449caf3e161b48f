package io.wagateway.delivery;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.wagateway.auth.Caller;
import io.wagateway.http.ApiException;
import io.wagateway.http.Json;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /api/deliveries}: the outbox's deliveries, filtered by sink or subscription, status,
 * session and creation time; one with its attempts, last error and next attempt; a retry.
 */
public final class DeliveriesHttpService implements HttpService {

    private static final int MAX_LIST = 1000;

    private final Deliveries deliveries;

    public DeliveriesHttpService(Deliveries deliveries) {
        this.deliveries = deliveries;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .get("/{id}", this::get)
                .post("/{id}/retry", this::retry);
    }

    private void list(ServerRequest req, ServerResponse res) {
        var q = req.query();
        int limit;
        try {
            limit = Integer.parseInt(q.first("limit").orElse("100"));
        } catch (NumberFormatException e) {
            throw ApiException.validation("'limit' must be a whole number");
        }
        if (limit < 1 || limit > MAX_LIST) {
            throw ApiException.validation("'limit' must be between 1 and " + MAX_LIST);
        }
        Instant from = q.first("from").map(t -> WebhooksHttpService.instant(t, "from")).orElse(null);
        Instant to = q.first("to").map(t -> WebhooksHttpService.instant(t, "to")).orElse(null);
        Json.send(res, Status.OK_200, deliveries.list(Caller.of(req), q.first("sink").orElse(null),
                q.first("subscriptionId").orElse(null), q.first("status").orElse(null), q.first("sessionId").orElse(null),
                from, to, limit).stream().map(DeliveriesHttpService::view).toList());
    }

    private void get(ServerRequest req, ServerResponse res) {
        Json.send(res, Status.OK_200, view(deliveries.get(Caller.of(req), id(req))));
    }

    private void retry(ServerRequest req, ServerResponse res) {
        Json.send(res, Status.ACCEPTED_202, view(deliveries.retry(Caller.of(req), id(req))));
    }

    private static long id(ServerRequest req) {
        try {
            return Long.parseLong(req.path().pathParameters().get("id"));
        } catch (NumberFormatException e) {
            throw ApiException.notFound("Delivery not found: " + req.path().pathParameters().get("id"));
        }
    }

    private static Map<String, Object> view(DeliveryRecord d) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", d.id());
        v.put("eventId", d.eventId());
        v.put("type", d.type());
        v.put("sink", d.sink());
        if (d.targetId() != null) {
            v.put("subscriptionId", d.targetId());
        }
        v.put("sessionId", d.sessionId());
        v.put("status", d.status());
        v.put("attempts", d.attempts());
        if (d.nextAttemptAt() != null) {
            v.put("nextAttemptAt", d.nextAttemptAt());
        }
        v.put("inFlight", d.inFlight());
        if (d.lastAttemptAt() != null) {
            v.put("lastAttemptAt", d.lastAttemptAt());
        }
        if (d.lastError() != null) {
            v.put("lastError", d.lastError());
        }
        v.put("createdAt", d.createdAt());
        if (d.deliveredAt() != null) {
            v.put("deliveredAt", d.deliveredAt());
        }
        return v;
    }
}
