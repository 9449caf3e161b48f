package io.wagateway.plugins.rabbitmq;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;

/**
 * The publishes of one channel that wait for the broker's confirm, by publish sequence number.
 * The broker acks or nacks each number once, or several up to a number at once ({@code multiple});
 * when the channel closes, whatever is still waiting will never be confirmed.
 *
 * <p>Thread-safe: publishes register from the delivering thread, confirms arrive on the
 * connection's thread.
 */
final class ConfirmTracker {

    /** The broker refused responsibility for a message (basic.nack). */
    static final class Nacked extends Exception {

        Nacked(long seqNo) {
            super("The broker refused the message (basic.nack for publish #" + seqNo + ")");
        }
    }

    private final ConcurrentNavigableMap<Long, CompletableFuture<Void>> waiting = new ConcurrentSkipListMap<>();

    /**
     * @param seqNo the channel's next publish sequence number, read before publishing
     * @return completed when the broker confirms that publish; failed when it nacks it or the channel closes
     */
    CompletableFuture<Void> expect(long seqNo) {
        CompletableFuture<Void> confirm = new CompletableFuture<>();
        waiting.put(seqNo, confirm);
        return confirm;
    }

    /** Drops a publish that was not sent or whose confirm is no longer awaited. */
    void forget(long seqNo) {
        waiting.remove(seqNo);
    }

    /** basic.ack: {@code seqNo}, or every number up to it when {@code multiple}. */
    void ack(long seqNo, boolean multiple) {
        settle(seqNo, multiple, confirm -> confirm.complete(null));
    }

    /** basic.nack: as {@link #ack}, each one failed with {@link Nacked}. */
    void nack(long seqNo, boolean multiple) {
        settle(seqNo, multiple, confirm -> confirm.completeExceptionally(new Nacked(seqNo)));
    }

    /** The channel closed: nothing still waiting will be confirmed. */
    void failAll(Throwable cause) {
        for (Map.Entry<Long, CompletableFuture<Void>> entry = waiting.pollFirstEntry(); entry != null;
                entry = waiting.pollFirstEntry()) {
            entry.getValue().completeExceptionally(cause);
        }
    }

    /** @return how many publishes wait for their confirm */
    int waiting() {
        return waiting.size();
    }

    private void settle(long seqNo, boolean multiple, Consumer<CompletableFuture<Void>> outcome) {
        if (!multiple) {
            CompletableFuture<Void> confirm = waiting.remove(seqNo);
            if (confirm != null) {
                outcome.accept(confirm);
            }
            return;
        }
        Map<Long, CompletableFuture<Void>> upTo = waiting.headMap(seqNo, true);
        for (Map.Entry<Long, CompletableFuture<Void>> entry : upTo.entrySet()) {
            // remove(key, value): an entry settled meanwhile by another path is not settled twice.
            if (waiting.remove(entry.getKey(), entry.getValue())) {
                outcome.accept(entry.getValue());
            }
        }
    }
}
