package io.wagateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Measures, in a child JVM with real environment variables, which documented variables Helidon's
 * environment source maps to their keys by itself: exactly the others have an alias in
 * {@link EnvOverrides#ALIASES}, and every one reaches its key through the gateway's configuration.
 */
class EnvAliasesTest {

    /** The documented variables (README, contract) and the keys they set. */
    private static final Map<String, String> DOCUMENTED = Map.ofEntries(
            Map.entry("GATEWAY_HTTP_PORT", "server.port"),
            Map.entry("GATEWAY_SOCKETIO_PORT", "gateway.socketio.port"),
            Map.entry("GATEWAY_DATA_DIR", "gateway.data-dir"),
            Map.entry("GATEWAY_DB_URL", "gateway.db.url"),
            Map.entry("GATEWAY_DB_USER", "gateway.db.user"),
            Map.entry("GATEWAY_DB_PASSWORD", "gateway.db.password"),
            Map.entry("GATEWAY_ADMIN_USERNAME", "gateway.admin.username"),
            Map.entry("GATEWAY_ADMIN_PASSWORD", "gateway.admin.password"),
            Map.entry("GATEWAY_JWT_SECRET", "gateway.auth.jwt-secret"),
            Map.entry("GATEWAY_PLUGINS_DIR", "gateway.plugins.dir"),
            Map.entry("GATEWAY_CORS_ORIGINS", "gateway.cors.origins"),
            Map.entry("GATEWAY_RABBITMQ_URI", "gateway.sinks.rabbitmq.uri"),
            Map.entry("GATEWAY_WEBHOOKS_ALLOW_PRIVATE", "gateway.webhooks.allow-private-targets"));

    @Test
    void onlyWhatHelidonCannotDeriveHasAnAliasAndEveryVariableReachesItsKey() throws Exception {
        List<String> seen = probe(DOCUMENTED);
        Set<String> derived = prefixed(seen, "helidon ");
        Set<String> needAlias = new TreeSet<>(DOCUMENTED.keySet());
        needAlias.removeAll(derived);
        assertEquals(needAlias, new TreeSet<>(EnvOverrides.ALIASES.keySet()), "aliases are exactly the underivable ones");
        EnvOverrides.ALIASES.forEach((variable, key) -> assertEquals(DOCUMENTED.get(variable), key, variable));
        assertEquals(new TreeSet<>(DOCUMENTED.keySet()), prefixed(seen, "gateway "), "every documented variable works");
    }

    @Test
    void aDashInAKeyIsAnUnderscoreInTheVariable() throws Exception {
        List<String> seen = probe(Map.of("GATEWAY_SOCKETIO_PING__INTERVAL", "gateway.socketio.ping-interval",
                "GATEWAY_SOCKETIO_PING_TIMEOUT", "gateway.socketio.ping-timeout"));
        assertEquals(Set.of("GATEWAY_SOCKETIO_PING_TIMEOUT"), prefixed(seen, "helidon "));
        assertEquals(Set.of("GATEWAY_SOCKETIO_PING_TIMEOUT"), prefixed(seen, "gateway "));
    }

    /** The baileys plugin's "Node.js is missing" message names this variable: an engine key reached without an alias. */
    @Test
    void anEngineKeyWithoutADashIsAVariableToo() throws Exception {
        List<String> seen = probe(Map.of("GATEWAY_ENGINES_BAILEYS_NODE", "gateway.engines.baileys.node"));
        assertEquals(Set.of("GATEWAY_ENGINES_BAILEYS_NODE"), prefixed(seen, "gateway "));
    }

    private static Set<String> prefixed(List<String> lines, String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length()))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Runs {@link EnvProbe} with each variable set to a value of its own; returns what it printed. */
    private static List<String> probe(Map<String, String> variables) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), EnvProbe.class.getName()));
        variables.forEach((variable, key) -> command.add(variable + "=" + key));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        // Only these variables (and PATH): nothing of the machine's own GATEWAY_* leaks in.
        String path = System.getenv("PATH");
        builder.environment().clear();
        builder.environment().put("PATH", path == null ? "" : path);
        variables.keySet().forEach(variable -> builder.environment().put(variable, "value-of-" + variable));
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the probe JVM did not finish");
        }
        assertEquals(0, process.exitValue(), out);
        return out.lines().toList();
    }
}
