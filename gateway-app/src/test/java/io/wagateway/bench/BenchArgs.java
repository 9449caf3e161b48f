package io.wagateway.bench;

import io.wagateway.testing.NodeProcess;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** What every bench does with its command line and its processes. */
final class BenchArgs {

    private BenchArgs() {
    }

    /**
     * Reads {@code --key value} pairs over the defaults.
     *
     * @param defaults every accepted key with its default value
     * @throws IllegalArgumentException on an unknown key or a key without a value
     */
    static Map<String, String> parse(String[] args, Map<String, String> defaults) {
        Map<String, String> values = new LinkedHashMap<>(defaults);
        for (int i = 0; i < args.length; i++) {
            String key = args[i].replaceFirst("^--", "");
            if (!values.containsKey(key) || i + 1 >= args.length) {
                throw new IllegalArgumentException("unknown or incomplete option " + args[i]);
            }
            values.put(key, args[++i]);
        }
        return values;
    }

    /** Whatever happens (an exception, Ctrl-C), no server or load generator outlives the bench. */
    static void stopChildrenOnExit() {
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
                ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly)));
    }

    /** @return the project's root directory (the launcher passes it) */
    static Path projectRoot() {
        return Path.of(System.getProperty("gateway.bench.root", NodeProcess.DIR.resolve("../../../..").toString()))
                .toAbsolutePath().normalize();
    }
}
