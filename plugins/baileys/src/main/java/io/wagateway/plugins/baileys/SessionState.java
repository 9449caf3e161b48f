package io.wagateway.plugins.baileys;

/** Where a {@link BaileysSession} is in its life; guarded by the session's lock. */
enum SessionState {
    NEW("not started"),
    /** The worker runs the socket; no QR shown yet (reconnecting with credentials, or about to show one). */
    STARTING("connecting"),
    LINKING("waiting for a QR code scan"),
    CONNECTED("connected"),
    /** Ended on its own (logged out, QR timeout, lost, replaced, worker gone); awaits stop. */
    ENDED("disconnected"),
    /** Stopped or logged out by the host; reports nothing any more. */
    CLOSED("stopped");

    /** How the state reads in a message, after "it is". */
    final String description;

    SessionState(String description) {
        this.description = description;
    }

    /** @return whether the session still reports to its context */
    boolean live() {
        return this == STARTING || this == LINKING || this == CONNECTED;
    }
}
