package io.wagateway.testing;

import io.wagateway.api.GatewayEvent;
import io.wagateway.api.MessageStatusUpdated;
import io.wagateway.api.QrCodeUpdated;
import io.wagateway.api.SessionStatus;
import io.wagateway.api.SessionStatusChanged;
import io.wagateway.event.EventBus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Records the bus's events for a test and awaits them (never sleeps for them). */
public final class EventRecorder implements AutoCloseable {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final LinkedBlockingQueue<GatewayEvent> events = new LinkedBlockingQueue<>();
    private final List<GatewayEvent> seen = new ArrayList<>();
    private final AutoCloseable subscription;

    public EventRecorder(EventBus bus) {
        this.subscription = bus.subscribe(events::add);
    }

    /** The next event of the session that matches, skipping others; fails after the patience. */
    public <T extends GatewayEvent> T next(String sessionId, Class<T> type, Predicate<T> match) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            GatewayEvent e;
            try {
                e = left <= 0 ? null : events.poll(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new AssertionError(ex);
            }
            if (e == null) {
                throw new AssertionError("No " + type.getSimpleName() + " for " + sessionId + " within " + PATIENCE
                        + "; seen: " + seen);
            }
            seen.add(e);
            if (e.sessionId().equals(sessionId) && type.isInstance(e) && match.test(type.cast(e))) {
                return type.cast(e);
            }
        }
    }

    public SessionStatusChanged status(String sessionId, SessionStatus status) {
        return next(sessionId, SessionStatusChanged.class, e -> e.status() == status);
    }

    public QrCodeUpdated qr(String sessionId) {
        return next(sessionId, QrCodeUpdated.class, e -> true);
    }

    public MessageStatusUpdated message(String sessionId, String messageId) {
        return next(sessionId, MessageStatusUpdated.class, e -> e.messageId().equals(messageId));
    }

    /** The session's next {@code count} status changes, each as {@code STATUS} or {@code STATUS/REASON}. */
    public List<String> statuses(String sessionId, int count) {
        List<String> trail = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            SessionStatusChanged s = next(sessionId, SessionStatusChanged.class, e -> true);
            trail.add(s.status() + (s.reason() == null ? "" : "/" + s.reason()));
        }
        return trail;
    }

    /** The next event of the session, whatever it is (events of other sessions are skipped). */
    public GatewayEvent nextOf(String sessionId) {
        return next(sessionId, GatewayEvent.class, e -> true);
    }

    /** @return events that arrive within {@code window} (for asserting that nothing more comes) */
    public List<GatewayEvent> drain(Duration window) {
        List<GatewayEvent> drained = new ArrayList<>();
        try {
            GatewayEvent e;
            while ((e = events.poll(window.toMillis(), TimeUnit.MILLISECONDS)) != null) {
                drained.add(e);
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        return drained;
    }

    @Override
    public void close() throws Exception {
        subscription.close();
    }
}
