package io.wagateway.socket;

import com.corundumstudio.socketio.SocketIOClient;
import io.wagateway.auth.Principal;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The authenticated sockets by socket id, the number each user holds, and the number of open
 * sockets (authenticated or not) so that shutdown can wait for clients to leave.
 */
final class SocketRegistry {

    private final ConcurrentHashMap<UUID, SocketState> sockets = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Integer> perUser = new ConcurrentHashMap<>();
    private final Object openLock = new Object();
    private int open;

    /**
     * Records an accepted socket. A socket accepted before (a repeated CONNECT) keeps its first
     * identity.
     *
     * @return the socket's state, or empty when its user already holds {@code maxPerUser} sockets
     */
    Optional<SocketState> accept(SocketIOClient client, Principal principal, int maxPerUser, int eventsPerSecond) {
        SocketState existing = sockets.get(client.getSessionId());
        if (existing != null) {
            return Optional.of(existing);
        }
        boolean[] admitted = {false};
        perUser.compute(principal.userId(), (user, count) -> {
            int held = count == null ? 0 : count;
            if (held >= maxPerUser) {
                return count;
            }
            admitted[0] = true;
            return held + 1;
        });
        if (!admitted[0]) {
            return Optional.empty();
        }
        SocketState state = new SocketState(client, principal, eventsPerSecond, System.nanoTime());
        sockets.put(client.getSessionId(), state);
        return Optional.of(state);
    }

    SocketState get(UUID socketId) {
        return sockets.get(socketId);
    }

    /** @return the removed state, or null for a socket that was never accepted */
    SocketState remove(UUID socketId) {
        SocketState state = sockets.remove(socketId);
        if (state != null) {
            perUser.computeIfPresent(state.principal().userId(), (user, count) -> count <= 1 ? null : count - 1);
            state.close();
        }
        return state;
    }

    /** @return the accepted sockets whose principal matches, at this moment */
    java.util.List<SocketState> matching(java.util.function.Predicate<Principal> which) {
        return sockets.values().stream().filter(state -> which.test(state.principal())).toList();
    }

    int authenticated() {
        return sockets.size();
    }

    void opened() {
        synchronized (openLock) {
            open++;
        }
    }

    void closed() {
        synchronized (openLock) {
            open--;
            openLock.notifyAll();
        }
    }

    /** @return whether every socket left within {@code timeout} */
    boolean awaitNoneOpen(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (openLock) {
            while (open > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(openLock, left);
            }
            return true;
        }
    }
}
