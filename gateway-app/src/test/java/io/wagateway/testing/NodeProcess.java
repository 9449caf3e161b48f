package io.wagateway.testing;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A Node.js script from {@code src/test/node} run as a child process: its output streamed line by
 * line, and the process (with anything it started) killed on timeout or close, so no test leaves
 * one behind. Installs the lockfile's dependencies first when {@code ./gateway test} has not.
 */
public final class NodeProcess implements AutoCloseable {

    /** The Node project of the tests: Maven runs tests in the module, exec:java (the bench) at the root. */
    public static final Path DIR = java.util.stream.Stream.of(Path.of("src", "test", "node"),
                    Path.of("gateway-app", "src", "test", "node"))
            .map(Path::toAbsolutePath).filter(p -> Files.exists(p.resolve("package.json"))).findFirst()
            .orElse(Path.of("src", "test", "node").toAbsolutePath());

    private final Process process;
    private final Thread reader;

    private NodeProcess(Process process, Consumer<String> onLine) {
        this.process = process;
        this.reader = Thread.ofPlatform().daemon().name("node-output").start(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    onLine.accept(line);
                }
            } catch (IOException e) {
                // The stream closes when the process is killed; nothing more to read.
            }
        });
    }

    /**
     * Starts {@code node args...} in {@link #DIR} with stderr merged into stdout.
     *
     * @param env    added to this process's environment
     * @param onLine each output line, on a reader thread
     */
    public static NodeProcess start(List<String> args, Map<String, String> env, Consumer<String> onLine) {
        ensureDependencies();
        List<String> command = new ArrayList<>();
        command.add(node());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(DIR.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        try {
            return new NodeProcess(builder.start(), onLine);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + command, e);
        }
    }

    /**
     * @return the exit code
     * @throws AssertionError when the process has not ended within {@code timeout} (it is killed)
     */
    public int await(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            close();
            throw new AssertionError("node did not finish within " + timeout + " and was killed");
        }
        reader.join(5_000);
        return process.exitValue();
    }

    /** Writes one line to the process's standard input. */
    public void writeLine(String line) {
        try {
            process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
        } catch (IOException e) {
            throw new UncheckedIOException("node's stdin is closed", e);
        }
    }

    /** @return the process id of {@code node} (for its CPU time and RSS in {@code /proc}) */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The {@code node} binary: {@code $NODE}, else the first on {@code PATH}. */
    static String node() {
        String configured = System.getenv("NODE");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        return onPath("node").orElseThrow(() -> new AssertionError(
                "Node.js is needed for the Socket.IO tests: install it (apt-get install nodejs npm) or set NODE"));
    }

    private static java.util.Optional<String> onPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(candidate)) {
                return java.util.Optional.of(candidate.toString());
            }
        }
        return java.util.Optional.empty();
    }

    /** {@code npm ci} when node_modules is missing or older than the lockfile (what {@code ./gateway test} does). */
    static synchronized void ensureDependencies() {
        Path lock = DIR.resolve("package-lock.json");
        Path installed = DIR.resolve("node_modules").resolve(".package-lock.json");
        try {
            if (Files.exists(installed) && Files.getLastModifiedTime(installed).compareTo(Files.getLastModifiedTime(lock)) >= 0) {
                return;
            }
            String npm = onPath("npm").orElseThrow(() -> new AssertionError(
                    "npm is needed to install the Socket.IO test dependencies: apt-get install nodejs npm"));
            Process install = new ProcessBuilder(npm, "ci", "--no-audit", "--no-fund", "--loglevel=error")
                    .directory(DIR.toFile()).inheritIO().start();
            if (!install.waitFor(5, TimeUnit.MINUTES)) {
                install.descendants().forEach(ProcessHandle::destroyForcibly);
                install.destroyForcibly();
                throw new AssertionError("npm ci did not finish within 5 minutes");
            }
            if (install.exitValue() != 0) {
                throw new AssertionError("npm ci failed in " + DIR + " (exit " + install.exitValue() + ")");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while installing Node dependencies", e);
        }
    }
}
