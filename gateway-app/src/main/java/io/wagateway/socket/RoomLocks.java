package io.wagateway.socket;

/**
 * Keeps a socket's entry into a room and the room's broadcasts apart. Events reach a room from
 * several threads (a session's executor, the database writer that publishes message status
 * changes once committed), and a joining socket may read {@code session_joined} before it is a
 * member: without this, an event broadcast in between was lost to a client that had already
 * seen its join answered. With it, a broadcast comes either before the entry (not for this
 * socket, which has not been told it joined) or after it (queued behind the join's answer and
 * snapshot).
 *
 * <p>Striped, so rooms cost no memory; two rooms may share a lock. What runs under it must not
 * block: it only queues packets.
 */
final class RoomLocks {

    private static final int STRIPES = 64;

    private final Object[] locks = new Object[STRIPES];

    RoomLocks() {
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    void inRoom(String room, Runnable action) {
        synchronized (locks[Math.floorMod(room.hashCode(), STRIPES)]) {
            action.run();
        }
    }
}
