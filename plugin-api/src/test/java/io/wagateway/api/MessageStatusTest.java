package io.wagateway.api;

import static io.wagateway.api.MessageStatus.DELIVERED;
import static io.wagateway.api.MessageStatus.FAILED;
import static io.wagateway.api.MessageStatus.PENDING;
import static io.wagateway.api.MessageStatus.READ;
import static io.wagateway.api.MessageStatus.SENT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link MessageStatus#canMoveTo}: every pair of statuses, against a table written out by hand. */
class MessageStatusTest {

    /**
     * Rows: from; columns: to, in declaration order PENDING, SENT, DELIVERED, READ, FAILED.
     * Forward only; FAILED only before delivery; READ and FAILED are final.
     */
    private static final Map<MessageStatus, String> ALLOWED = Map.of(
            PENDING,   "- x x x x",
            SENT,      "- - x x x",
            DELIVERED, "- - - x -",
            READ,      "- - - - -",
            FAILED,    "- - - - -");

    static List<Arguments> everyPair() {
        List<Arguments> pairs = new ArrayList<>();
        for (MessageStatus from : MessageStatus.values()) {
            String[] row = ALLOWED.get(from).split(" ");
            for (MessageStatus to : MessageStatus.values()) {
                pairs.add(Arguments.of(from, to, row[to.ordinal()].equals("x")));
            }
        }
        return pairs;
    }

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @MethodSource("everyPair")
    void canMoveTo(MessageStatus from, MessageStatus to, boolean allowed) {
        assertEquals(allowed, from.canMoveTo(to));
    }

    @Test
    void theTableCoversEveryStatus() {
        assertEquals(List.of(PENDING, SENT, DELIVERED, READ, FAILED), List.of(MessageStatus.values()),
                "the table's columns follow the declaration order");
        assertEquals(25, everyPair().size());
    }
}
