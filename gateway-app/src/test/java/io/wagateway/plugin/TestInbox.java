package io.wagateway.plugin;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Where test plugins and test listeners write what happened, in order. Plugin classes reach it
 * through their class loader's parent (the test class path), so it is public.
 */
public final class TestInbox {

    private static final BlockingQueue<String> ENTRIES = new LinkedBlockingQueue<>();

    private TestInbox() {
    }

    /** @param entry what happened, e.g. {@code stop:echo} */
    public static void record(String entry) {
        ENTRIES.add(entry);
    }

    static List<String> entries() {
        return new ArrayList<>(ENTRIES);
    }

    static void clear() {
        ENTRIES.clear();
    }
}
