package io.wagateway.socket;

import static io.wagateway.socket.EmbeddedPolling.drain;
import static io.wagateway.socket.EmbeddedPolling.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.corundumstudio.socketio.handler.ClientHead;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A polling client's waiting GET, answered through the gateway's real pipeline (embedded channels,
 * one thread: a send answers a waiting poll at once): with the events of one holding together,
 * otherwise with the first event alone, as netty-socketio does.
 */
class PollingAnswersTest {

    private static final Pattern EVENT = Pattern.compile("42\\[\"message_status_updated\",\\{\"n\":(\\d)}]");

    private final EmbeddedPolling server = new EmbeddedPolling();
    private final PollingAnswers answers = new PollingAnswers(NettySocketIoInternals.pollingChannel());

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void theEventsOfOneHoldingAnswerAWaitingPollTogetherInOrder() throws Exception {
        ClientHead client = server.handshake();
        EmbeddedChannel poll = waitingPoll(client);
        answers.holding(() -> {
            for (int n = 1; n <= 3; n++) {
                answers.send(client, EncodedEvent.of("message_status_updated", Map.of("n", n)));
            }
        });
        assertEquals("123", events(drain(poll)));
    }

    @Test
    void outsideAHoldingTheFirstEventAnswersThePollAlone() throws Exception {
        ClientHead client = server.handshake();
        EmbeddedChannel poll = waitingPoll(client);
        for (int n = 1; n <= 3; n++) {
            answers.send(client, EncodedEvent.of("message_status_updated", Map.of("n", n)));
        }
        assertEquals("1", events(drain(poll)));
        EmbeddedChannel next = server.channel();
        next.writeInbound(get(client.getSessionId()));
        assertEquals("23", events(drain(next)), "the next poll gets the rest");
    }

    @Test
    void aHoldingThatThrowsStillAnswersWithWhatItSent() throws Exception {
        ClientHead client = server.handshake();
        EmbeddedChannel poll = waitingPoll(client);
        assertThrows(IllegalStateException.class, () -> answers.holding(() -> {
            answers.send(client, EncodedEvent.of("message_status_updated", Map.of("n", 1)));
            throw new IllegalStateException("a listener failed");
        }));
        assertEquals("1", events(drain(poll)));
    }

    @Test
    void aPollThatComesDuringAHoldingTakesWhatIsQueuedAndTheEndAnswersNothingTwice() throws Exception {
        ClientHead client = server.handshake();
        EmbeddedChannel[] poll = new EmbeddedChannel[1];
        answers.holding(() -> {
            answers.send(client, EncodedEvent.of("message_status_updated", Map.of("n", 1)));
            poll[0] = server.channel();
            poll[0].writeInbound(get(client.getSessionId())); // something queued: answered at once
        });
        String answer = drain(poll[0]);
        assertEquals("1", events(answer));
        assertEquals(1, answer.split("HTTP/1.1 ", -1).length - 1, "one answer: " + answer);
    }

    /** @return a GET of the client's, waiting: nothing is queued for it */
    private EmbeddedChannel waitingPoll(ClientHead client) {
        EmbeddedChannel poll = server.channel();
        poll.writeInbound(get(client.getSessionId()));
        assertEquals("", drain(poll), "the GET waits");
        return poll;
    }

    /** @return the answer's event numbers, in order */
    private static String events(String answer) {
        assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
        StringBuilder numbers = new StringBuilder();
        Matcher m = EVENT.matcher(answer);
        while (m.find()) {
            numbers.append(m.group(1));
        }
        return numbers.toString();
    }
}
