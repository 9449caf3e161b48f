package io.wagateway.plugins.rabbitmq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** The broker's acks and nacks, single and multiple, matched to the publishes that wait for them. */
class ConfirmTrackerTest {

    private final ConfirmTracker tracker = new ConfirmTracker();

    @Test
    void aSingleAckConfirmsOnlyItsOwnNumber() {
        CompletableFuture<Void> one = tracker.expect(1);
        CompletableFuture<Void> two = tracker.expect(2);

        tracker.ack(2, false);

        assertTrue(two.isDone() && !two.isCompletedExceptionally());
        assertFalse(one.isDone());
        assertEquals(1, tracker.waiting());
    }

    @Test
    void aMultipleAckConfirmsEveryNumberUpToIt() {
        CompletableFuture<Void> one = tracker.expect(1);
        CompletableFuture<Void> two = tracker.expect(2);
        CompletableFuture<Void> three = tracker.expect(3);

        tracker.ack(2, true);

        assertTrue(one.isDone() && two.isDone());
        assertFalse(three.isDone());
        assertEquals(1, tracker.waiting());
    }

    @Test
    void aMultipleNackFailsEveryNumberUpToIt() {
        CompletableFuture<Void> one = tracker.expect(1);
        CompletableFuture<Void> two = tracker.expect(2);

        tracker.nack(2, true);

        ExecutionException e = assertThrows(ExecutionException.class, one::get);
        assertInstanceOf(ConfirmTracker.Nacked.class, e.getCause());
        assertTrue(two.isCompletedExceptionally());
        assertEquals(0, tracker.waiting());
    }

    @Test
    void aClosedChannelFailsEverythingStillWaiting() {
        CompletableFuture<Void> one = tracker.expect(1);
        CompletableFuture<Void> two = tracker.expect(2);
        IOException cause = new IOException("connection lost");

        tracker.failAll(cause);

        assertSame(cause, assertThrows(ExecutionException.class, one::get).getCause());
        assertSame(cause, assertThrows(ExecutionException.class, two::get).getCause());
        assertEquals(0, tracker.waiting());
    }

    @Test
    void aForgottenPublishIsNeitherConfirmedNorCounted() {
        CompletableFuture<Void> one = tracker.expect(1);
        tracker.forget(1);

        tracker.ack(1, true);

        assertFalse(one.isDone());
        assertEquals(0, tracker.waiting());
    }
}
