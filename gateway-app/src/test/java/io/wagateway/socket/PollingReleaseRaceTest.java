package io.wagateway.socket;

import static io.wagateway.socket.EmbeddedPolling.drain;
import static io.wagateway.socket.EmbeddedPolling.get;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.corundumstudio.socketio.Transport;
import com.corundumstudio.socketio.handler.ClientHead;
import com.corundumstudio.socketio.handler.TransportState;
import com.corundumstudio.socketio.protocol.EngineIOVersion;
import com.corundumstudio.socketio.protocol.Packet;
import com.corundumstudio.socketio.protocol.PacketType;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import java.lang.reflect.Field;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A polling client's next GET, bound while its previous (answered, closed) connection is being
 * released, keeps the client's events coming. The release of a closed connection is interrupted
 * where a busy machine can preempt it, between "is this still the client's connection?" and
 * "forget it", and the next GET is bound right there; events sent after must reach that GET.
 * Everything runs through the gateway's real pipeline on embedded channels, one thread, so the
 * interleaving is the same on every run.
 */
class PollingReleaseRaceTest {

    private final EmbeddedPolling server = new EmbeddedPolling();

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aGetBoundWhileTheLastPollIsReleasedStillGetsTheEvents() throws Exception {
        ClientHead client = server.handshake();
        UUID id = client.getSessionId();

        EmbeddedChannel next = server.channel();
        PreemptedRelease state = PreemptedRelease.installOn(client, () -> next.writeInbound(get(id)));

        EmbeddedChannel held = server.channel();
        held.writeInbound(get(id)); // nothing queued: the GET is held
        client.send(new Packet(PacketType.NOOP, EngineIOVersion.V4), Transport.POLLING);
        assertTrue(drain(held).startsWith("HTTP/1.1 200"), "the held GET was not answered");
        held.runPendingTasks(); // its close, and with it the release
        if (!state.preempted) {
            next.writeInbound(get(id)); // the release never paused: the next GET comes after it
        }

        client.send(new Packet(PacketType.PING, EngineIOVersion.V4), Transport.POLLING);
        String answer = drain(next);
        assertTrue(answer.startsWith("HTTP/1.1 200") && answer.endsWith("2"),
                "the GET bound during the release got no events: '" + answer + "'");
    }

    /**
     * The client's polling state, with a pause where netty-socketio's release reads the current
     * connection: the next GET is bound there, after the read and before the release acts on it.
     */
    private static final class PreemptedRelease extends TransportState {
        private final Runnable bindNext;
        private boolean preempted;

        private PreemptedRelease(Runnable bindNext) {
            this.bindNext = bindNext;
        }

        static PreemptedRelease installOn(ClientHead client, Runnable bindNext) throws ReflectiveOperationException {
            Field field = ClientHead.class.getDeclaredField("channels");
            field.setAccessible(true);
            @SuppressWarnings("unchecked")
            Map<Transport, TransportState> channels = (Map<Transport, TransportState>) field.get(client);
            TransportState current = channels.get(Transport.POLLING);
            PreemptedRelease state = new PreemptedRelease(bindNext);
            state.setPacketsQueue(current.getPacketsQueue());
            state.update(current.getChannel());
            channels.put(Transport.POLLING, state);
            return state;
        }

        @Override
        public Channel getChannel() {
            Channel read = super.getChannel();
            if (!preempted && read != null && inRelease()) {
                preempted = true;
                bindNext.run();
            }
            return read;
        }

        private static boolean inRelease() {
            return StackWalker.getInstance().walk(frames -> frames.anyMatch(f -> f.getMethodName().equals("releasePollingChannel")));
        }
    }
}
