package io.wagateway.delivery;

import static io.wagateway.delivery.WebhookTesting.deliveredBySession;
import static io.wagateway.delivery.WebhookTesting.deliveries;
import static io.wagateway.delivery.WebhookTesting.linkAndStop;
import static io.wagateway.delivery.WebhookTesting.queuedBySession;
import static io.wagateway.delivery.WebhookTesting.subscribe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.wagateway.testing.ApiClient;
import io.wagateway.testing.Await;
import io.wagateway.testing.ClosedAfterEach;
import io.wagateway.testing.TestGateway;
import io.wagateway.testing.TestSessions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One webhook receiver that hangs does not hold back another's deliveries: a real gateway with the
 * webhook plugin, two real HTTP receivers, one of them holding every request unanswered. Its
 * deadline is a minute, far beyond what the tests wait for the other receiver's events.
 */
class WebhookIsolationTest {

    /** What the other receiver's events may take while the slow one hangs: far below its deadline. */
    private static final Duration PROMPTLY = Duration.ofSeconds(20);

    @RegisterExtension
    final ClosedAfterEach resources = new ClosedAfterEach();

    private TestGateway gateway(String maxConcurrency, String batchSize) {
        Map<String, String> settings = WebhookTesting.fast(true, "5");
        settings.put("gateway.delivery.batch-size", batchSize);
        settings.put("gateway.webhooks.timeout", "60s");
        settings.put("gateway.delivery.deliver-timeout", "60s");
        settings.put("gateway.webhooks.max-concurrency", maxConcurrency);
        return resources.keep(WebhookTesting.start(resources.dataDir(), settings));
    }

    private WebhookReceiver receiver() {
        return resources.keep(new WebhookReceiver());
    }

    /** Waits until the subscription has {@code count} deliveries, all delivered. */
    private static void awaitDelivered(ApiClient admin, String subscriptionId, int count, Duration within,
                                       WebhookReceiver slow) {
        Await.until(count + " deliveries of " + subscriptionId + " delivered", within, () -> {
            List<JsonNode> all = deliveries(admin, subscriptionId);
            return all.size() == count && all.stream().allMatch(d -> d.get("status").asText().equals("DELIVERED"));
        }, () -> deliveries(admin, subscriptionId) + ", the slow receiver holding " + slow.held());
    }

    @Test
    void aHangingReceiverDelaysNoOtherSubscriptionsEvents() throws Exception {
        WebhookReceiver slow = receiver();
        WebhookReceiver quick = receiver();
        TestGateway gw = gateway("8", "200");
        ApiClient admin = gw.api().loginAdmin();
        slow.hold();
        String slowSub = subscribe(admin, slow.url(), null, List.of()).get("id").asText();
        String quickSub = subscribe(admin, quick.url(), null, List.of()).get("id").asText();

        linkAndStop(admin, TestSessions.create(gw, admin, "first"));
        Await.until("the slow receiver holds a request", () -> slow.held() > 0);
        // Before, the round that sent it waited for it, and every later event of every subscription
        // waited for that round: up to the slow receiver's minute.
        linkAndStop(admin, TestSessions.create(gw, admin, "second"));
        awaitDelivered(admin, quickSub, 10, PROMPTLY, slow);
        assertTrue(slow.held() > 0, "the slow receiver was still holding its request meanwhile");

        slow.release();
        awaitDelivered(admin, slowSub, 10, Duration.ofSeconds(30), slow);
        assertEquals(queuedBySession(deliveries(admin, quickSub)), deliveredBySession(quick.delivered()),
                "each session's events in order");
        assertEquals(queuedBySession(deliveries(admin, slowSub)), deliveredBySession(slow.delivered()),
                "the slow receiver's too, once it answered");
        assertEquals(10, slow.delivered().size(), "each once");
    }

    @Test
    void aHangingReceiverLeavesASlotForTheOthers() throws Exception {
        WebhookReceiver slow = receiver();
        WebhookReceiver quick = receiver();
        // Two requests at once: the slow receiver, subscribed to every session, could hold both. And
        // claims of five rows: its backlog (ten rows) fills every claim unless claims pass it over.
        TestGateway gw = gateway("2", "5");
        ApiClient admin = gw.api().loginAdmin();
        slow.hold();
        String slowSub = subscribe(admin, slow.url(), null, List.of()).get("id").asText();
        String third = TestSessions.create(gw, admin, "third");
        String quickSub = subscribe(admin, quick.url(), third, List.of()).get("id").asText();

        linkAndStop(admin, TestSessions.create(gw, admin, "first"));
        Await.until("the slow receiver holds a request", () -> slow.held() > 0);
        String second = TestSessions.create(gw, admin, "second");
        linkAndStop(admin, second);
        Await.until("the second session's events queued for the slow receiver",
                () -> queuedBySession(deliveries(admin, slowSub)).getOrDefault(second, List.of()).size() == 5);
        linkAndStop(admin, third);
        awaitDelivered(admin, quickSub, 5, PROMPTLY, slow);
        assertEquals(1, slow.mostHeld(), "the slow receiver never took the last slot");

        slow.release();
        awaitDelivered(admin, slowSub, 15, Duration.ofSeconds(30), slow);
        assertEquals(queuedBySession(deliveries(admin, slowSub)), deliveredBySession(slow.delivered()));
        assertEquals(queuedBySession(deliveries(admin, quickSub)), deliveredBySession(quick.delivered()));
    }
}
