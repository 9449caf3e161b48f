package io.wagateway.plugins.baileys;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wagateway.api.PluginConfig;
import io.wagateway.api.PluginException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link BaileysEngine#verify}, what the host calls when the plugin is loaded: the configured
 * {@code node} is run with {@code --version} (here: small scripts that answer as Node.js would), and
 * a missing or old one is refused with a message that says what to install and which key to set.
 */
class BaileysVerifyTest {

    @TempDir
    Path dir;

    private final BaileysEngine engine = new BaileysEngine();

    private PluginConfig config(String node) {
        return PluginConfig.validate(engine.configKeys(), Map.of(BaileysSettings.NODE, node));
    }

    /** A "node" that prints {@code answer} to {@code --version} (and anything else it is asked). */
    private Path fakeNode(String name, String body) throws IOException {
        Path script = dir.resolve(name);
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private static void assertActionable(PluginException e) {
        String m = e.getMessage();
        assertTrue(m.startsWith("Node.js >= 20 is needed by the baileys engine, but "), m);
        assertTrue(m.contains("install it (apt-get install nodejs"), m);
        assertTrue(m.contains("set gateway.engines.baileys." + BaileysSettings.NODE + " (env GATEWAY_ENGINES_BAILEYS_NODE) to its path"), m);
        assertTrue(m.endsWith("then restart the gateway or touch the plugin's jar"), m);
    }

    @Test
    void aMissingNodeIsRefusedNamingThePathAndWhatToDo() {
        String missing = dir.resolve("no-such-node").toString();
        PluginException e = assertThrows(PluginException.class, () -> engine.verify(config(missing)));
        assertActionable(e);
        assertTrue(e.getMessage().contains("'" + missing + "' does not exist: "), e.getMessage());

        PluginException notOnPath = assertThrows(PluginException.class, () -> engine.verify(config("no-such-node-binary")));
        assertActionable(notOnPath);
        assertTrue(notOnPath.getMessage().contains("'no-such-node-binary' is not on the gateway's PATH: "), notOnPath.getMessage());
    }

    @Test
    void anOldNodeIsRefusedNamingItsVersion() throws IOException {
        Path old = fakeNode("node18", "echo v18.19.0");
        PluginException e = assertThrows(PluginException.class, () -> engine.verify(config(old.toString())));
        assertActionable(e);
        assertTrue(e.getMessage().contains("'" + old + "' is 18.19.0: "), e.getMessage());
    }

    @Test
    void somethingElseThanNodeIsRefusedWithItsAnswer() throws IOException {
        Path other = fakeNode("python", "echo 'Python 3.11.2'");
        PluginException e = assertThrows(PluginException.class, () -> engine.verify(config(other.toString())));
        assertActionable(e);
        assertTrue(e.getMessage().contains("--version' answered 'Python 3.11.2'"), e.getMessage());
    }

    @Test
    void node20OrLaterPasses() throws IOException {
        engine.verify(config(fakeNode("node20", "echo v20.11.1").toString()));
        engine.verify(config(fakeNode("node24", "echo v24.0.0").toString()));
    }

    @Test
    void aNodeThatDoesNotAnswerIsKilledAtTheDeadline() throws Exception {
        Path pidFile = dir.resolve("pid");
        Path hung = fakeNode("hung", "echo $$ > '" + pidFile + ".part' && mv '" + pidFile + ".part' '" + pidFile + "'\nexec sleep 30");
        long started = System.nanoTime();
        PluginException e = assertThrows(PluginException.class, () -> NodeRuntime.check(hung.toString(), Duration.ofSeconds(1)));
        assertTrue(System.nanoTime() - started < Duration.ofSeconds(5).toNanos(), "given up at its deadline");
        assertActionable(e);
        assertTrue(e.getMessage().contains("'" + hung + " --version' did not answer within 1000 ms"), e.getMessage());
        // The script names itself before it hangs (the same process, by exec); killed before that, it never ran.
        if (Files.exists(pidFile)) {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            ProcessHandle.of(pid).ifPresent(p -> assertTrue(p.onExit().completeOnTimeout(null, 5, TimeUnit.SECONDS).join() != null,
                    "the hung 'node' was killed"));
        }
    }

    @Test
    void anOutOfRangeSettingIsRefusedBeforeNodeIsAsked() {
        PluginException e = assertThrows(PluginException.class, () -> engine.verify(
                PluginConfig.validate(engine.configKeys(), Map.of(BaileysSettings.NODE, "/nonexistent/node",
                        BaileysSettings.PING_TIMEOUT, "0s"))));
        assertTrue(e.getMessage().contains("'ping-timeout'"), e.getMessage());
    }
}
