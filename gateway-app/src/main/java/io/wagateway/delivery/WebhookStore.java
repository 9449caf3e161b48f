package io.wagateway.delivery;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;
import io.wagateway.store.Rows;
import java.util.Arrays;
import java.util.List;

/** Webhook subscriptions in the database. */
final class WebhookStore {

    private final DbClient db;

    WebhookStore(DbClient db) {
        this.db = db;
    }

    void insert(WebhookSubscription s) {
        db.execute().namedInsert("insert-webhook", s.id(), s.userId(), s.sessionId(), s.url(), String.join(",", s.events()),
                s.secret(), s.enabled(), s.disabledReason(), s.createdAt().toEpochMilli(), s.updatedAt().toEpochMilli());
    }

    List<WebhookSubscription> all() {
        try (var rows = db.execute().namedQuery("select-webhooks")) {
            return rows.map(WebhookStore::map).toList();
        }
    }

    void update(WebhookSubscription s) {
        db.execute().namedUpdate("update-webhook", s.url(), String.join(",", s.events()), s.enabled(), s.disabledReason(),
                s.updatedAt().toEpochMilli(), s.id());
    }

    void delete(String id) {
        db.execute().namedDelete("delete-webhook", id);
    }

    private static WebhookSubscription map(DbRow r) {
        String events = Rows.string(r, "events");
        Object enabled = r.column("enabled").get();
        return new WebhookSubscription(Rows.string(r, "id"), Rows.string(r, "user_id"), Rows.string(r, "session_id"),
                Rows.string(r, "url"), events.isEmpty() ? List.of() : Arrays.asList(events.split(",")),
                Rows.string(r, "secret"), enabled instanceof Boolean b ? b : ((Number) enabled).intValue() != 0,
                Rows.string(r, "disabled_reason"), Rows.instant(r, "created_at"), Rows.instant(r, "updated_at"));
    }
}
