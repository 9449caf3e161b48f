package io.wagateway.bench;

import io.wagateway.testing.ApiClient;
import io.wagateway.testing.GatewayProcess;
import io.wagateway.testing.TestGateway;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway as the operator runs it, in a JVM of its own (the packaged jar, the simulator plugin,
 * the embedded database in a temporary directory), so that its CPU time and memory are its own.
 * The simulator acks each message SENT, DELIVERED and READ, each {@code ackDelay} after the last.
 */
final class GatewayServer implements BenchServer {

    private static final String ADMIN_PASSWORD = "bench-admin-password-0123";
    private static final String PASSWORD = "bench-password-0123";
    /** G1 prints {@code used 24576K}, Shenandoah {@code 30720K used}, ZGC {@code used 62M}. */
    private static final Pattern HEAP_USED = Pattern.compile("(?:used (\\d+)([KMG])\\b|\\b(\\d+)([KMG]) used\\b)");

    private final Path dir;
    private final Process process;
    /** Set from the ready line: the gateway binds port 0, and no other process can take the ports it gets. */
    private volatile GatewayProcess.Ports ports;
    private final List<String> notable = new CopyOnWriteArrayList<>();
    private final java.util.Deque<String> tail = new java.util.concurrent.ConcurrentLinkedDeque<>();
    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile boolean outputEnded;
    private List<Bench.Room> rooms = List.of();
    private ApiClient admin;

    private GatewayServer(Path root, int clients, Duration ackDelay, Path jfr, Map<String, String> settings)
            throws IOException {
        dir = Files.createTempDirectory("bench-gateway-");
        Path plugins = dir.resolve("plugins");
        TestGateway.installSimulator(plugins);
        Path config = dir.resolve("bench.yaml");
        String delay = ackDelay.toMillis() + "ms";
        Files.writeString(config, String.join("\n",
                "server:", "  port: 0", "  host: 127.0.0.1",
                "gateway:", "  data-dir: " + dir.resolve("data"),
                "  admin:", "    password: " + ADMIN_PASSWORD,
                "  socketio:", "    host: 127.0.0.1", "    port: 0",
                "    max-sockets-per-user: " + clients, "    max-rooms-per-socket: 1",
                // Every load generator's socket comes from one address: the per-address handshake limit is off.
                "    handshakes-per-second: 0",
                "  plugins:", "    dir: " + plugins, "    watch: false",
                "  engines:", "    simulator:", "      connect-delay: 50ms",
                "      ack-sent-delay: " + delay, "      ack-delivered-delay: " + delay, "      ack-read-delay: " + delay,
                ""));
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Djava.util.logging.manager=io.wagateway.GatewayLogManager"));
        if (Runtime.version().feature() >= 23) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.add("@" + root.resolve("config/jvm.options")); // as ./gateway run passes them
        if (jfr != null) {
            // Without it a sample in compiled code is charged to the nearest call or safepoint of the
            // method inlined there: a profile once put 8% of the gateway's samples on one line that
            // calls Jackson, when the time went to the loop around it.
            command.addAll(List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:+DebugNonSafepoints"));
            command.add("-XX:StartFlightRecording=filename=" + jfr.toAbsolutePath() + ",settings=profile");
        }
        String extra = System.getenv("GATEWAY_JAVA_OPTS");
        if (extra != null && !extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        command.addAll(List.of("-jar", root.resolve("gateway-app/target/gateway-app.jar").toString()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put("GATEWAY_CONFIG", config.toString());
        // Extra settings as environment variables, by Helidon's rule (gateway.socketio.flush-interval -> GATEWAY_SOCKETIO_FLUSH_INTERVAL).
        settings.forEach((key, value) -> builder.environment().put(key.toUpperCase(java.util.Locale.ROOT).replaceAll("[.-]", "_"), value));
        process = builder.start();
        Thread.ofPlatform().daemon().name("gateway-output").start(this::readOutput);
    }

    /** Starts the gateway and creates {@code sessions} linked simulator sessions, one user each. */
    static GatewayServer start(Path root, int clients, int sessions, Duration ackDelay, Path jfr,
                               Map<String, String> settings) throws Exception {
        GatewayServer server = new GatewayServer(root, clients, ackDelay, jfr, settings);
        try {
            if (!server.ready.await(2, TimeUnit.MINUTES) || server.outputEnded) {
                throw new IllegalStateException("the gateway did not start; its last lines:\n" + String.join("\n", server.tail));
            }
            server.rooms = server.linkSessions(sessions);
            return server;
        } catch (Exception | Error e) {
            server.close();
            throw e;
        }
    }

    private void readOutput() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                tail.addLast(line);
                if (tail.size() > 20) {
                    tail.pollFirst();
                }
                Optional<GatewayProcess.Ports> bound = GatewayProcess.Ports.ofReadyLine(line);
                if (bound.isPresent()) {
                    ports = bound.get();
                    ready.countDown();
                } else if ((line.contains("WARNING") || line.contains("SEVERE") || line.contains("Exception")
                        || line.contains("Dropped the Socket.IO client") || line.contains("Disconnected the Socket.IO client"))
                        && notable.size() < 200) {
                    notable.add(line);
                }
            }
        } catch (IOException e) {
            // The stream ends with the process.
        } finally {
            outputEnded = true;
            ready.countDown(); // a gateway that ended before it was ready is not waited for
        }
    }

    @Override
    public long[] databaseWritesAndCommits() {
        String metrics = admin.get("/observe/metrics").body();
        return new long[] {meter(metrics, "gateway_db_writes_total"), meter(metrics, "gateway_db_commits_total")};
    }

    private static long meter(String metrics, String name) {
        return metrics.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst()
                .orElseThrow(() -> new IllegalStateException(name + " is not in /observe/metrics"));
    }

    private List<Bench.Room> linkSessions(int count) {
        admin = new ApiClient(httpUrl()).login("admin", ADMIN_PASSWORD);
        List<ApiClient> users = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            ApiClient user = admin.createUser("bench" + k, PASSWORD);
            ApiClient.Response created = user.post("/api/sessions", Map.of("name", "bench " + k, "engine", "simulator"));
            require(created, 201);
            String id = created.json().get("sessionId").asText();
            require(user.post("/api/sessions/" + id + "/start", null), 202);
            users.add(user);
            ids.add(id);
        }
        List<Bench.Room> linked = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            ApiClient user = users.get(k);
            String id = ids.get(k);
            awaitStatus(user, id, "QR_REQUIRED");
            require(user.post("/api/sessions/" + id + "/actions/scan",
                    Map.of("phoneNumber", "+628120000" + String.format("%04d", k), "displayName", "Bench " + k)), 200);
            awaitStatus(user, id, "CONNECTED");
            linked.add(new Bench.Room(id, user.get("/api/auth/me").json().get("id").asText(), user.token()));
        }
        return linked;
    }

    private static void require(ApiClient.Response response, int status) {
        if (response.status() != status) {
            throw new IllegalStateException("expected " + status + ", got " + response.status() + " " + response.body());
        }
    }

    /** Polls: the bench drives the REST API only, as a client would. */
    private static void awaitStatus(ApiClient user, String id, String status) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!status.equals(user.get("/api/sessions/" + id).json().get("status").asText())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("session " + id + " did not reach " + status);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    @Override
    public String name() {
        return "this gateway";
    }

    @Override
    public List<Bench.Room> rooms() {
        return rooms;
    }

    @Override
    public String httpUrl() {
        return "http://127.0.0.1:" + ports.http();
    }

    @Override
    public String socketUrl() {
        return "http://127.0.0.1:" + ports.socket();
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public long heapUsedAfterGc() throws Exception {
        jcmd("GC.run");
        return heapUsedBytes(jcmd("GC.heap_info"));
    }

    /** @return the used heap {@code jcmd GC.heap_info} printed, in bytes, whichever of G1, ZGC or Shenandoah runs */
    static long heapUsedBytes(String heapInfo) {
        Matcher used = HEAP_USED.matcher(heapInfo);
        if (!used.find()) {
            throw new IllegalStateException("jcmd GC.heap_info gave no heap figure");
        }
        boolean first = used.group(1) != null;
        long figure = Long.parseLong(first ? used.group(1) : used.group(3));
        return figure * switch (first ? used.group(2) : used.group(4)) {
            case "K" -> 1024L;
            case "M" -> 1024L * 1024;
            default -> 1024L * 1024 * 1024;
        };
    }

    private String jcmd(String what) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid()), what).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("jcmd " + what + " did not finish");
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    @Override
    public List<String> notableOutput() {
        return List.copyOf(notable);
    }

    /** SIGTERM first, so a JFR recording is written; killed if it has not stopped within 30 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        TestGateway.deleteTree(dir);
    }
}
