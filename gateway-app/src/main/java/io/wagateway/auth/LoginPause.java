package io.wagateway.auth;

import java.time.Duration;

/**
 * How a login waits out its account's slowdown ({@link AccountSlowdown}) before its password check:
 * {@link #SLEEP} on the request's own (virtual) thread; a test records the waits instead.
 */
@FunctionalInterface
interface LoginPause {

    LoginPause SLEEP = Thread::sleep;

    /** Called with a positive delay only. */
    void pause(Duration delay) throws InterruptedException;
}
