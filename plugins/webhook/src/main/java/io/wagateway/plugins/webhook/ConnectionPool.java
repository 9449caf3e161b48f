package io.wagateway.plugins.webhook;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Idle keep-alive connections by receiver ({@code scheme://host:port}). A connection idle longer
 * than {@link #MAX_IDLE_MS} is closed rather than reused (receivers close theirs after a few
 * seconds; Node's default is 5 s), at most {@link #MAX_PER_RECEIVER} are kept per receiver.
 */
final class ConnectionPool {

    static final long MAX_IDLE_MS = 3_000;
    static final int MAX_PER_RECEIVER = 32;

    private final Map<String, Deque<Connection>> idle = new HashMap<>();

    /** @return an idle connection to the receiver, or null */
    synchronized Connection take(String key) {
        Deque<Connection> connections = idle.get(key);
        long now = System.currentTimeMillis();
        while (connections != null && !connections.isEmpty()) {
            Connection c = connections.pollLast();
            if (now - c.idleSince <= MAX_IDLE_MS && !c.socket.isClosed()) {
                return c;
            }
            c.close();
        }
        return null;
    }

    synchronized void give(String key, Connection c) {
        Deque<Connection> connections = idle.computeIfAbsent(key, k -> new ArrayDeque<>());
        if (connections.size() >= MAX_PER_RECEIVER) {
            c.close();
            return;
        }
        c.idleSince = System.currentTimeMillis();
        connections.addLast(c);
    }

    synchronized void closeAll() {
        idle.values().forEach(connections -> connections.forEach(Connection::close));
        idle.clear();
    }
}
