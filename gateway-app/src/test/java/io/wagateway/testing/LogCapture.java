package io.wagateway.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Records what one logger (and its children) logs at INFO or above while a test runs. Attach it
 * after the gateway has started: Helidon reads logging.properties then, which drops handlers.
 */
public final class LogCapture extends Handler implements AutoCloseable {

    private final Logger logger;
    private final List<LogRecord> records = new ArrayList<>();

    private LogCapture(Logger logger) {
        this.logger = logger;
        logger.addHandler(this);
    }

    /** @param name the logger's name; "" for every logger */
    public static LogCapture on(String name) {
        return new LogCapture(Logger.getLogger(name));
    }

    @Override
    public void publish(LogRecord record) {
        if (record.getLevel().intValue() >= Level.INFO.intValue()) {
            synchronized (records) {
                records.add(record);
                records.notifyAll();
            }
        }
    }

    public List<LogRecord> records() {
        synchronized (records) {
            return List.copyOf(records);
        }
    }

    /** @return the messages logged so far, unformatted */
    public List<String> messages() {
        return records().stream().map(LogRecord::getMessage).toList();
    }

    /**
     * Waits until a message logged so far or from now on matches.
     *
     * @return whether one did within {@code timeout}
     */
    public boolean awaitMessage(java.util.function.Predicate<String> match, java.time.Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (records) {
            while (records.stream().map(LogRecord::getMessage).noneMatch(match)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(records, left);
            }
            return true;
        }
    }

    public void clear() {
        synchronized (records) {
            records.clear();
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
