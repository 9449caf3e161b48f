package io.wagateway.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real {@code ./gateway run} as a child process (the packaged jar, the built-in plugin jars
 * copied into its plugins directory), for end-to-end tests: started with the environment a test
 * gives, ready once it logs "Gateway ready", which names the ports it bound (so a test can pass
 * port 0 and let the system pick free ones as they are bound); its output is kept for assertions
 * and failure messages.
 * Run by failsafe, after the jar is packaged, so the launcher finds nothing to rebuild.
 */
public final class GatewayProcess {

    private static final Pattern READY = Pattern.compile("Gateway ready: HTTP on port (\\d+), Socket.IO on port (\\d+)");

    /** The ports a gateway bound, as its "Gateway ready" log line names them. */
    public record Ports(int http, int socket) {

        /** @return the ports, when the line is the gateway's ready line */
        public static Optional<Ports> ofReadyLine(String line) {
            Matcher m = READY.matcher(line);
            return m.find() ? Optional.of(new Ports(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))))
                    : Optional.empty();
        }
    }

    private final Process process;
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> outputClosed = new CompletableFuture<>();
    private volatile Ports ports;

    private GatewayProcess(Map<String, String> env) throws IOException {
        Path root = Path.of(System.getProperty("gateway.test.node-dir")).resolve("../../../..").normalize();
        ProcessBuilder pb = new ProcessBuilder(root.resolve("gateway").toString(), "run").directory(root.toFile())
                .redirectErrorStream(true);
        pb.environment().putAll(env);
        process = pb.start();
    }

    /** Starts {@code ./gateway run} and waits until it is ready. */
    public static GatewayProcess start(Map<String, String> env) throws Exception {
        GatewayProcess gateway = new GatewayProcess(env);
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(gateway.process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    gateway.log.add(line);
                    Optional<Ports> bound = Ports.ofReadyLine(line);
                    if (bound.isPresent()) {
                        gateway.ports = bound.get();
                        ready.complete(null);
                    }
                }
                ready.completeExceptionally(new AssertionError("./gateway run ended before it was ready:\n" + gateway.log()));
            } catch (IOException e) {
                ready.completeExceptionally(e);
            } finally {
                gateway.outputClosed.complete(null);
            }
        });
        try {
            ready.get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            gateway.process.destroyForcibly();
            throw e;
        }
        return gateway;
    }

    /** @return the REST port it bound, as its ready line says */
    public int httpPort() {
        return ports.http();
    }

    /** @return the Socket.IO port it bound, as its ready line says */
    public int socketPort() {
        return ports.socket();
    }

    public String httpUrl() {
        return "http://127.0.0.1:" + httpPort();
    }

    /**
     * Stops the gateway with SIGTERM, as an operator would, and waits for its output to end.
     *
     * @return whether it exited within 30 s (it is killed otherwise)
     */
    public boolean stop() throws Exception {
        // Through the handle: Process.destroy() would also close our end of its output, and the
        // lines the gateway logs while stopping would be lost to the test.
        process.toHandle().destroy();
        boolean exited = process.waitFor(30, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly();
        }
        outputClosed.get(10, TimeUnit.SECONDS);
        return exited;
    }

    /**
     * Kills the gateway with SIGKILL ({@link Process#destroyForcibly()} on Linux): no shutdown hook,
     * no flush, no close; {@code ./gateway run} execs java, so this is the JVM itself.
     */
    public void kill() throws Exception {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the gateway survived SIGKILL");
        }
        outputClosed.get(10, TimeUnit.SECONDS);
    }

    /** @return the exit value; 137 (128 + 9) after {@link #kill()} */
    public int exitValue() {
        return process.exitValue();
    }

    public long pid() {
        return process.pid();
    }

    /** @return everything it printed so far */
    public String log() {
        return String.join("\n", log);
    }

    public boolean logged(String text) {
        return log.stream().anyMatch(l -> l.contains(text));
    }
}
