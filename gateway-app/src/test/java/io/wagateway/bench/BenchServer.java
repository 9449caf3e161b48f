package io.wagateway.bench;

import java.util.List;

/** A server under the side-by-side bench: the gateway or the Node reference, each its own process. */
interface BenchServer extends AutoCloseable {

    /** @return the name printed in the table */
    String name();

    /** @return the sessions (one room each) with their owners' tokens, ready to send messages */
    List<Bench.Room> rooms();

    String httpUrl();

    String socketUrl();

    /** @return the server's process id, read in {@code /proc} */
    long pid();

    /** @return live heap bytes after a full collection */
    long heapUsedAfterGc() throws Exception;

    /** @return the database writes and commits so far ({@code /observe/metrics}), or null for a server without them */
    default long[] databaseWritesAndCommits() {
        return null;
    }

    /** @return lines of the server's output worth showing (warnings, disconnected slow clients) */
    List<String> notableOutput();

    @Override
    void close();
}
