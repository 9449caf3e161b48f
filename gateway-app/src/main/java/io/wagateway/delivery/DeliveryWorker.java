package io.wagateway.delivery;

import io.wagateway.api.DeliveryTarget;
import io.wagateway.api.GatewayEvent;
import io.wagateway.api.RetriableException;
import io.wagateway.api.SinkDelivery;
import io.wagateway.api.TargetGoneException;
import io.wagateway.config.GatewaySettings;
import io.wagateway.plugin.Failures;
import io.wagateway.plugin.RegisteredSink;
import io.wagateway.retry.Backoff;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Delivers one sink's outbox rows, on a virtual thread of its own: claims a batch of ready rows,
 * delivers each lane (target and session) in order, lanes side by side up to the sink's
 * concurrency, then writes back what became of each row and claims again. A lane still running
 * after {@link #ROUND_PATIENCE} goes on alone and writes back its own outcome; it keeps its slot
 * ({@link LaneSlots}) meanwhile. Woken by new events and by late lanes' write-backs; otherwise it
 * looks for due retries every poll interval.
 *
 * <p>Each {@code deliver} call runs on a platform thread of the delivery pool and is waited for at
 * most {@code deliver-timeout}: past it, the thread is interrupted and abandoned and the attempt
 * counts as a retriable failure. While twice the concurrency of calls have not returned (see
 * {@link SinkCalls}), no new one is made: the rows are given back untried. A retriable failure
 * schedules the row again (capped exponential backoff with jitter) and gives the rest of its lane
 * back unattempted, so the lane waits behind it; after {@code max-attempts} the row is dead and
 * the lane goes on. A fatal failure makes the row dead at once.
 */
final class DeliveryWorker {

    private static final Logger LOG = Logger.getLogger(DeliveryWorker.class.getName());
    /** How long a round waits for its lanes ({@link RoundLanes}): past a normal lane's time, far short of a deadline. */
    static final Duration ROUND_PATIENCE = Duration.ofMillis(250);
    /** Starts the error of a delivery whose target answered that it is gone (its lane stops too). */
    private static final String GONE = "Target gone: ";

    private final RegisteredSink sink;
    private final DeliveryClaims claims;
    private final WebhookSubscriptions subscriptions;
    private final GatewaySettings.Delivery settings;
    private final DeliveryCounters counters;
    private final Clock clock;
    private final SinkCalls calls;
    private final Backoff backoff;
    private final boolean targeted;
    private final LaneSlots slots;
    private final RoundLanes lanes;
    private final LinkedBlockingQueue<Boolean> wakeUp = new LinkedBlockingQueue<>(1);
    private volatile boolean stopping;
    private volatile String token;
    /** The last round's write-back, running while the next round claims. */
    private CompletableFuture<Void> writeBack = CompletableFuture.completedFuture(null);
    /** Rows of the last round delivered or dead, whose write-back is still running. */
    private Set<Long> settled = Set.of();
    private boolean lastRoundFull;
    private Thread thread;
    private long lastLoggedFailure;

    DeliveryWorker(RegisteredSink sink, boolean targeted, int concurrency, DeliveryClaims claims,
                   WebhookSubscriptions subscriptions, GatewaySettings.Delivery settings, DeliveryCounters counters,
                   Clock clock, ExecutorService calls) {
        this.sink = sink;
        this.targeted = targeted;
        int size = Math.max(1, Math.min(concurrency, settings.maxConcurrency()));
        this.claims = claims;
        this.subscriptions = subscriptions;
        this.settings = settings;
        this.counters = counters;
        this.clock = clock;
        this.slots = new LaneSlots(size, targeted);
        this.lanes = new RoundLanes(slots, ROUND_PATIENCE);
        // Twice the concurrency: room for as many calls given up as are running, then a pause.
        this.calls = new SinkCalls(calls, sink.name(), size * 2, clock);
        this.backoff = new Backoff(settings.retryInitialDelay(), settings.retryMaxDelay());
    }

    String name() {
        return sink.name();
    }

    synchronized void start() {
        if (thread == null) {
            thread = Thread.ofVirtual().name("delivery-" + sink.name()).start(this::run);
        }
    }

    /** A new event may be waiting: claim now rather than at the next poll. Never blocks. */
    void wake() {
        wakeUp.offer(Boolean.TRUE);
    }

    private void run() {
        while (!stopping) {
            try {
                int claimed = round();
                if (claimed < settings.batchSize()) {
                    wakeUp.poll(settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                break;
            } catch (Exception e) {
                // The database (down, a deadlock): try again at the next poll, one log line a minute.
                failed(e);
                try {
                    Thread.sleep(settings.pollInterval().toMillis());
                } catch (InterruptedException stop) {
                    break;
                }
            }
        }
        try {
            lanes.awaitLanes(); // lanes stop between two deliveries and write back what they did
            awaitWriteBack();
        } catch (InterruptedException e) {
            // stop() gave up waiting and said so; what is still held waits for its lease
        } catch (Exception e) {
            failed(e);
        }
    }

    private synchronized void failed(Exception e) {
        long now = clock.millis();
        if (now - lastLoggedFailure > 60_000) {
            lastLoggedFailure = now;
            LOG.log(Level.WARNING, "Delivery to sink '" + sink.name() + "' paused: " + e.getMessage(), e);
        }
    }

    /**
     * After a full round (a backlog), on a database server, claims while that round's write-back
     * runs (on its own connection: the two statements' costs overlap instead of adding up), and
     * delivers only once the write-back has committed; the claim treats the rows it settled as
     * done, so their lanes go on. Otherwise it waits for the write-back first, so that the next
     * claim takes more rows at once ({@link DeliveryClaims#overlapWriteBacks}).
     *
     * @return how many rows were claimed
     */
    private int round() throws Exception {
        if (calls.full()) {
            return 0; // no call could start: claim again once one has returned, at the next poll
        }
        if (!slots.anyFree()) {
            return 0; // every slot held by lanes gone late: each wakes the worker when it is written back
        }
        if (!lastRoundFull || !claims.overlapWriteBacks()) {
            awaitWriteBack();
        }
        long now = clock.millis();
        String claim = UUID.randomUUID().toString();
        long timeout = settings.deliverTimeout().toMillis();
        List<Claimed> batch;
        try {
            batch = claims.claim(sink.name(), now, settings.batchSize(), now + timeout * 2 + 5_000, claim, settled,
                    slots.refused());
        } finally {
            try {
                awaitWriteBack();
            } catch (Exception e) {
                // Not written: the last round's rows wait for their lease, and their lanes with
                // them, so what this claim took after them must not go out first.
                claims.release(sink.name(), claim);
                throw e;
            }
        }
        token = claim;
        lastRoundFull = batch.size() >= settings.batchSize();
        if (batch.isEmpty()) {
            return 0;
        }
        Map<String, List<Claimed>> byLane = new LinkedHashMap<>();
        for (Claimed c : batch) {
            byLane.computeIfAbsent(c.lane(), k -> new ArrayList<>()).add(c);
        }
        // The lease is twice deliver-timeout + 5s: an attempt started by now + deliver-timeout ends,
        // and is written back, while the claim still holds. Later the rest of the lane is given
        // back, or another worker (another node) would take rows this one is still sending.
        long lastStart = now + timeout;
        RoundLanes.Outcome round = lanes.run(LaneOrder.byTargetInTurn(byLane.values()),
                (lane, attempts) -> deliverLane(lane, lastStart, attempts), attempts -> lateLane(attempts, claim));
        List<Attempt> outcome = round.attempts();
        Set<Long> done = new HashSet<>();
        for (Attempt a : outcome) {
            if (a instanceof Attempt.Delivered d) {
                done.add(d.id());
            } else if (a instanceof Attempt.Failed f && f.dead()) {
                done.add(f.id());
            }
        }
        CompletableFuture<Void> written = new CompletableFuture<>();
        settled = done;
        writeBack = written;
        Thread.ofVirtual().name("delivery-write-back-" + sink.name()).start(() -> {
            try {
                claims.complete(outcome, clock.millis(), claim);
                written.complete(null);
            } catch (Throwable t) {
                written.completeExceptionally(t);
            }
        });
        // No lane got a slot (lanes of earlier rounds hold them): claim again when woken, not at once.
        return round.started() == 0 ? 0 : batch.size();
    }

    /**
     * Writes back the outcome of a lane that outlived its round, under its round's claim, then wakes
     * the worker: the lane's next rows wait for that write-back (until then their lease holds them).
     */
    private void lateLane(List<Attempt> attempts, String claim) {
        try {
            claims.complete(attempts, clock.millis(), claim);
        } catch (Exception e) {
            // Its rows go out again after the lease, in order. At a stop the database may be closed by now.
            if (!stopping) {
                failed(e);
            }
        }
        wake();
    }

    /** Waits for the last round's write-back; after it, its rows are as the database says. */
    private void awaitWriteBack() throws Exception {
        CompletableFuture<Void> last = writeBack;
        writeBack = CompletableFuture.completedFuture(null);
        settled = Set.of();
        try {
            last.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private void deliverLane(List<Claimed> lane, long lastStart, List<Attempt> results) {
        for (int i = 0; i < lane.size(); i++) {
            Claimed c = lane.get(i);
            if (stopping || clock.millis() > lastStart) {
                release(lane, i, results);
                return;
            }
            Attempt outcome = attempt(c);
            results.add(outcome);
            if (outcome instanceof Attempt.Failed f && (!f.dead() || f.error().startsWith(GONE))
                    || outcome instanceof Attempt.Released) {
                // The lane waits behind its retry (or its target is gone, or the row was given back
                // untried): the rest is not tried now, or a later row could go out before it.
                release(lane, i + 1, results);
                return;
            }
        }
    }

    private Attempt attempt(Claimed c) {
        Optional<DeliveryTarget> target = Optional.empty();
        if (targeted) {
            Optional<WebhookSubscription> s = subscriptions.find(c.targetId());
            if (s.isEmpty()) {
                return dead(c, "Subscription deleted");
            }
            if (!s.get().enabled()) {
                return dead(c, "Subscription disabled" + (s.get().disabledReason() == null ? "" : ": " + s.get().disabledReason()));
            }
            // Queued while its owner could see the session (an admin since demoted, say): not sent now.
            if (!subscriptions.reaches(s.get(), c.userId())) {
                return dead(c, "The subscription's owner may no longer get this session's events");
            }
            target = Optional.of(WebhookSubscriptions.target(s.get()));
        } else if (!c.targetId().isEmpty()) {
            return dead(c, "Sink '" + sink.name() + "' takes no targets");
        }
        GatewayEvent event;
        try {
            event = EventDecoder.decode(c.body(), c.userId());
        } catch (RuntimeException e) {
            return dead(c, "Stored event unreadable: " + e.getMessage());
        }
        SinkDelivery delivery = new SinkDelivery(c.eventId(), c.type(), c.sessionId(), Instant.ofEpochMilli(c.occurredAt()),
                event, c.body(), c.attempts() + 1, target);
        Future<?> call = calls.submit(() -> sink.sink().deliver(delivery));
        if (call == null) {
            return new Attempt.Released(c.id());
        }
        try {
            call.get(settings.deliverTimeout().toMillis(), TimeUnit.MILLISECONDS);
            counters.delivered(sink.name());
            return new Attempt.Delivered(c.id());
        } catch (TimeoutException e) {
            call.cancel(true);
            return retryOrDead(c, sink.sink().getClass().getSimpleName() + ".deliver() did not return within "
                    + settings.deliverTimeout().toMillis() + "ms");
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            return new Attempt.Released(c.id());
        } catch (ExecutionException e) {
            Throwable failure = e.getCause();
            Failures.rethrowIfFatal(failure);
            if (failure instanceof TargetGoneException gone) {
                subscriptions.disable(c.targetId(), describe(gone));
                return dead(c, GONE + describe(gone));
            }
            if (failure instanceof RetriableException) {
                return retryOrDead(c, describe(failure));
            }
            LOG.log(Level.WARNING, "Sink '" + sink.name() + "' failed on " + c.type() + " of session " + c.sessionId()
                    + " (delivery " + c.id() + "); marked dead", failure);
            return dead(c, Failures.describe(failure));
        }
    }

    /** A sink's own exception says what happened in its message; anything else is named by its type. */
    private static String describe(Throwable failure) {
        if (failure instanceof io.wagateway.api.PluginException && failure.getCause() == null && failure.getMessage() != null) {
            String line = failure.getMessage().replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
            return line.length() <= 500 ? line : line.substring(0, 499) + "…";
        }
        return Failures.describe(failure);
    }

    private Attempt retryOrDead(Claimed c, String error) {
        counters.failed(sink.name());
        int failures = c.attempts() + 1 - c.retryBase();
        if (failures >= settings.maxAttempts()) {
            LOG.warning(() -> "Delivery " + c.id() + " of " + c.type() + " (session " + c.sessionId() + ") to sink '"
                    + sink.name() + "' is dead after " + failures + " attempt(s): " + error);
            return new Attempt.Failed(c.id(), true, clock.millis(), error);
        }
        Duration wait = backoff.delay(failures - 1);
        long jittered = Math.round(wait.toMillis() * (1 - settings.retryJitter() * ThreadLocalRandom.current().nextDouble()));
        return new Attempt.Failed(c.id(), false, clock.millis() + Math.max(1, jittered), error);
    }

    private Attempt dead(Claimed c, String error) {
        counters.failed(sink.name());
        return new Attempt.Failed(c.id(), true, clock.millis(), error.length() > 500 ? error.substring(0, 500) : error);
    }

    private static void release(List<Claimed> lane, int from, List<Attempt> results) {
        for (int j = from; j < lane.size(); j++) {
            results.add(new Attempt.Released(lane.get(j).id()));
        }
    }

    /**
     * Stops claiming, lets the deliveries in progress end (at most {@code timeout}), and gives back
     * the rows it still holds, so they resume at once with the sink's return or the next start.
     */
    void stop(Duration timeout) {
        Thread running;
        synchronized (this) {
            stopping = true;
            running = thread;
        }
        if (running != null) {
            // Lanes stop between two deliveries and the round writes back what it did; only a
            // delivery that outlasts the timeout is interrupted.
            wake();
            try {
                if (!running.join(timeout)) {
                    running.interrupt();
                    LOG.warning("Sink '" + sink.name() + "' did not finish its deliveries within " + timeout
                            + "; stopping it anyway (what it holds is retried after the lease)");
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        String held = token;
        if (held != null) {
            try {
                claims.release(sink.name(), held);
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "Could not give back the claims of sink '" + sink.name() + "'", e);
            }
        }
    }
}
