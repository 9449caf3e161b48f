package io.wagateway.web;

import io.helidon.http.Status;
import io.helidon.http.sse.SseEvent;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.sse.SseSink;
import io.wagateway.api.GatewayEvent;
import io.wagateway.api.MessageStatusUpdated;
import io.wagateway.api.QrCodeUpdated;
import io.wagateway.api.SessionStatusChanged;
import io.wagateway.auth.Principal;
import io.wagateway.auth.TokenVerifier;
import io.wagateway.event.EventBus;
import io.wagateway.http.Json;
import io.wagateway.session.Message;
import io.wagateway.session.Session;
import io.wagateway.session.SessionService;
import io.wagateway.socket.EventPayloads;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code GET /events[?session=id]}: the gateway's events as server-sent events, same origin and
 * authenticated by the session cookie, for the dashboard (every session) and a session's page
 * (that session). Fed from the {@link EventBus}: the bus listener only queues (it runs on a
 * session's executor and must not block); the request's own virtual thread writes.
 *
 * <p>On every (re)connect the stream first carries the current state, read through the session's
 * executor exactly like a Socket.IO late joiner's snapshot, so a browser that reconnects after a
 * gateway restart or a dropped connection is right again without a reload; and the recent
 * messages' statuses, which the page only ever moves forward. The dashboard's stream also says
 * {@code sessions_changed} when a session is created or deleted (by anyone, REST included; no
 * contract event tells), and the page fetches its table again. A client too slow to keep up is
 * closed (it reconnects and gets a fresh state); so is one whose sign-in ended (signed out,
 * disabled, demoted, expired).
 */
final class LiveEvents implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LiveEvents.class.getName());
    private static final int CAPACITY = 1024;
    private static final Duration RECONNECT = Duration.ofSeconds(1);
    private static final Item END = new Item(null, false);
    /** A session was created or deleted: the dashboard fetches its table again. */
    private static final Item LIST_CHANGED = new Item(null, false);

    private final EventBus bus;
    private final SessionService sessions;
    private final TokenVerifier verifier;
    private final Duration heartbeat;
    private final InstantSource clock;
    private final Set<BlockingQueue<Item>> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    LiveEvents(EventBus bus, SessionService sessions, TokenVerifier verifier, Duration heartbeat, InstantSource clock) {
        this.bus = bus;
        this.sessions = sessions;
        this.verifier = verifier;
        this.heartbeat = heartbeat;
        this.clock = clock;
    }

    /** One queued event; {@code snapshot} marks the current state sent on connect. */
    private record Item(GatewayEvent event, boolean snapshot) {
    }

    void stream(ServerRequest req, ServerResponse res) {
        Principal admin = WebUi.browser(req).principal();
        Optional<String> only = req.query().first("session").filter(s -> !s.isBlank());
        if (only.isPresent() && !sessions.canAccess(admin, only.get())) {
            res.status(Status.NOT_FOUND_404).send();
            return;
        }
        List<Session> watched = only.map(id -> List.of(sessions.get(admin, id))).orElseGet(() -> sessions.list(admin));
        // Room for every watched session's state (a status and a QR each) besides the live events.
        BlockingQueue<Item> queue = new ArrayBlockingQueue<>(CAPACITY + 2 * watched.size());
        AtomicBoolean overflowed = new AtomicBoolean();
        Consumer<GatewayEvent> listener = event -> {
            if (only.isEmpty() || only.get().equals(event.sessionId())) {
                if (!queue.offer(new Item(event, false))) {
                    overflowed.set(true);
                }
            }
        };
        Runnable listChanged = () -> {
            if (!queue.offer(LIST_CHANGED)) {
                overflowed.set(true);
            }
        };
        open.add(queue);
        try (AutoCloseable subscription = bus.subscribe(listener);
             AutoCloseable sessionList = only.isEmpty() ? sessions.onListChanged(listChanged) : () -> { };
             SseSink sink = res.sink(SseSink.TYPE)) {
            sink.emit(SseEvent.builder().name("hello").data("{}").reconnectDelay(RECONNECT).build());
            for (Session session : watched) {
                // On the session's executor: the snapshot lands in the queue exactly between two events.
                sessions.withSnapshot(session.sessionId(), snapshot -> {
                    queue.offer(new Item(snapshot.status(), true));
                    snapshot.pendingQr().ifPresent(qr -> queue.offer(new Item(qr, true)));
                });
            }
            if (only.isPresent()) {
                for (Message m : sessions.messages(admin, only.get(), SessionPages.RECENT_MESSAGES)) {
                    sink.emit(event("message_status_updated", messageState(m)));
                }
            }
            pump(queue, overflowed, admin, sink);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            // Mostly the browser going away (the write fails); the page's EventSource reconnects by itself.
            LOG.log(Level.FINE, "Live event stream ended", e);
        } finally {
            open.remove(queue);
        }
    }

    private void pump(BlockingQueue<Item> queue, AtomicBoolean overflowed, Principal admin, SseSink sink)
            throws InterruptedException {
        while (!closed) {
            Item item = queue.poll(heartbeat.toMillis(), TimeUnit.MILLISECONDS);
            if (item == END || closed) {
                return;
            }
            if (!verifier.isCurrent(admin) || !clock.instant().isBefore(admin.expiresAt())) {
                sink.emit(event("signed_out", Map.of("message", "Your sign-in ended; sign in again.")));
                return;
            }
            if (overflowed.get()) {
                // Events were dropped: end the stream; the browser reconnects and starts from a fresh state.
                return;
            }
            if (item == null) {
                sink.emit(SseEvent.builder().comment("keep-alive").build());
                continue;
            }
            if (item == LIST_CHANGED) {
                sink.emit(SseEvent.builder().name("sessions_changed").data("{}").build());
                continue;
            }
            sink.emit(event(item.event().type(), data(item)));
        }
    }

    private static SseEvent event(String name, Map<String, Object> data) {
        return SseEvent.builder().name(name).data(new String(Json.bytes(data), StandardCharsets.UTF_8)).build();
    }

    /** What the page needs: the Socket.IO payload (for the event monitor) and display values. */
    private static Map<String, Object> data(Item item) {
        GatewayEvent event = item.event();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("type", event.type());
        data.put("sessionId", event.sessionId());
        data.put("snapshot", item.snapshot());
        data.put("time", Views.time(event.timestamp()));
        data.put("payload", EventPayloads.of(event));
        switch (event) {
            case QrCodeUpdated qr -> data.put("qr", Views.qr(qr));
            case SessionStatusChanged s -> {
                data.put("status", s.status().name());
                data.put("reason", s.reason() == null ? "" : s.reason().name());
                data.put("phone", s.phoneNumber() == null ? "" : s.phoneNumber());
                data.put("displayName", s.displayName() == null ? "" : s.displayName());
            }
            case MessageStatusUpdated m -> {
                data.put("messageId", m.messageId());
                data.put("status", m.status().name());
                data.put("ticks", Views.ticks(m.status()));
                data.put("error", m.error() == null ? "" : m.error());
            }
            default -> {
            }
        }
        return data;
    }

    private static Map<String, Object> messageState(Message m) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("type", "message_status_updated");
        data.put("sessionId", m.sessionId());
        data.put("snapshot", true);
        data.put("time", Views.time(m.updatedAt()));
        data.put("messageId", m.messageId());
        data.put("status", m.status().name());
        data.put("ticks", Views.ticks(m.status()));
        data.put("error", m.error() == null ? "" : m.error());
        data.put("history", Views.message(m).get("history"));
        return data;
    }

    /** Ends every open stream (gateway shutdown), so no request waits for its heartbeat. */
    @Override
    public void close() {
        closed = true;
        open.forEach(queue -> {
            queue.clear();
            queue.offer(END);
        });
    }
}
