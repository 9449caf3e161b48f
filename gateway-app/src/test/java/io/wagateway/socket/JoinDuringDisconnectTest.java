package io.wagateway.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.corundumstudio.socketio.SocketIOServer;
import com.corundumstudio.socketio.listener.DisconnectListener;
import com.corundumstudio.socketio.namespace.Namespace;
import io.wagateway.testing.ApiClient;
import io.wagateway.testing.Await;
import io.wagateway.testing.TestGateway;
import io.wagateway.testing.TestSessions;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A join that enters a room while its socket disconnects leaves no member behind. netty-socketio
 * takes a disconnecting client out of its rooms, then runs the disconnect listeners; a join that
 * checked the socket open before the gateway's listener closed it can enter the room in between.
 * The test puts such an entry exactly there: a listener of its own, run before the gateway's,
 * enters the room the socket had joined, as that join would.
 */
class JoinDuringDisconnectTest {

    @Test
    void aRoomEnteredBetweenTheLibrarysLeaveAndTheGatewaysListenerIsLeftToo() throws Exception {
        try (TestGateway gw = TestGateway.start(Map.of())) {
            ApiClient user = gw.api().loginAdmin().createUser("leaver", "password-for-join-disconnect-test");
            String room = TestSessions.create(gw, user, "join during disconnect");
            Namespace main = mainNamespace(gw.gateway().socketServer());
            AtomicInteger enteredLate = new AtomicInteger();
            first(main, client -> {
                assertTrue(client.getAllRooms().isEmpty(), "netty-socketio left the rooms before the listeners");
                client.joinRoom(room);
                enteredLate.incrementAndGet();
            });
            CountDownLatch listenersDone = new CountDownLatch(1);
            main.addDisconnectListener(client -> listenersDone.countDown()); // after the gateway's

            try (FanOutProbe probe = new FanOutProbe(gw.socketUrl(), List.of(
                    new FanOutProbe.Client("leaver", user.token(), room, "websocket", false)))) {
                // session_joined is queued just before the membership: the probe may read it first.
                Await.until("the socket is in the room", () -> main.getRooms().contains(room));
            }
            assertTrue(listenersDone.await(10, TimeUnit.SECONDS), "the socket's disconnect was handled");
            assertEquals(1, enteredLate.get());
            assertFalse(main.getRooms().contains(room), "no member left in the room: "
                    + main.getRoomOperations(room).getClients().size() + " live");
        }
    }

    private static Namespace mainNamespace(SocketServer socketServer) throws ReflectiveOperationException {
        Field server = SocketServer.class.getDeclaredField("server");
        server.setAccessible(true);
        return (Namespace) ((SocketIOServer) server.get(socketServer)).getNamespace("");
    }

    /** Puts {@code listener} before the disconnect listeners already there (netty-socketio runs them in order). */
    private static void first(Namespace namespace, DisconnectListener listener) throws ReflectiveOperationException {
        Field field = Namespace.class.getDeclaredField("disconnectListeners");
        field.setAccessible(true);
        @SuppressWarnings("unchecked")
        Queue<DisconnectListener> listeners = (Queue<DisconnectListener>) field.get(namespace);
        List<DisconnectListener> others = new ArrayList<>(listeners);
        listeners.clear();
        listeners.add(listener);
        listeners.addAll(others);
    }
}
