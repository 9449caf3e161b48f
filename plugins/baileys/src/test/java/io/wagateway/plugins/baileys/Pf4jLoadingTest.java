package io.wagateway.plugins.baileys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wagateway.api.EngineSession;
import io.wagateway.api.PluginConfig;
import io.wagateway.api.StatusReason;
import io.wagateway.api.WhatsAppEngine;
import io.wagateway.testkit.EngineFact;
import io.wagateway.testkit.EngineFact.Disconnected;
import io.wagateway.testkit.EngineFact.Qr;
import io.wagateway.testkit.InMemoryCredentialStore;
import io.wagateway.testkit.RecordingEngineContext;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginManager;

/**
 * The plugin as the host loads it: a jar built from this module's classes and resources, loaded by
 * PF4J in its own class loader; the engine found as an extension, the worker unpacked from the jar,
 * and the worker ended when the plugin stops.
 */
class Pf4jLoadingTest {

    @Test
    void loadsAsAPluginRunsTheWorkerFromItsJarAndEndsItOnStop(@TempDir Path dir) throws Exception {
        StubHarness.assumeNodeRunsBaileys();
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        jar(Path.of(BaileysEngine.class.getProtectionDomain().getCodeSource().getLocation().toURI()),
                plugins.resolve("baileys-test.jar"));

        PluginManager manager = new DefaultPluginManager(plugins);
        manager.loadPlugins();
        manager.startPlugins();
        try {
            // By plugin: the test class path holds the same classes as "system" extensions.
            List<WhatsAppEngine> engines = manager.getExtensions(WhatsAppEngine.class, "baileys");
            assertEquals(1, engines.size(), "one engine extension");
            WhatsAppEngine engine = engines.get(0);
            assertEquals("baileys", engine.name());
            assertNotSame(BaileysEngine.class, engine.getClass(), "loaded by the plugin's class loader, not the test's");

            PluginConfig config = PluginConfig.validate(engine.configKeys(),
                    Map.of("work-dir", dir.resolve("work").toString(), "node", StubHarness.NODE));
            RecordingEngineContext ctx = new RecordingEngineContext("user-1-pf4j-1752508259125", config, new InMemoryCredentialStore());
            EngineSession session = engine.open(ctx);
            session.start();
            Optional<ProcessHandle> worker = ProcessHandle.current().children()
                    .filter(p -> p.info().commandLine().orElse("").contains("worker.mjs")
                            && p.info().commandLine().orElse("").contains(dir.toString()))
                    .findFirst();
            assertTrue(worker.isPresent(), "a worker runs from the unpacked jar resource");
            try (Stream<Path> unpacked = Files.walk(dir.resolve("work"))) {
                assertTrue(unpacked.anyMatch(p -> p.getFileName().toString().equals("worker.mjs")));
            }
            EngineFact fact = ctx.next();
            if (!(fact instanceof Qr)) {
                assertEquals(StatusReason.CONNECTION_LOST, ((Disconnected) fact).reason(), "no network here");
            }

            // The host unloads the plugin (stopping it first) without stopping this session: the plugin ends the worker anyway.
            assertTrue(manager.unloadPlugin("baileys"));
            worker.get().onExit().get(10, TimeUnit.SECONDS);
            assertFalse(worker.get().isAlive());
        } finally {
            if (manager.getPlugin("baileys") != null) {
                manager.unloadPlugin("baileys");
            }
        }
    }

    /** Builds a plugin jar of {@code classes} with the manifest plugins/pom.xml writes. */
    private static void jar(Path classes, Path jar) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Plugin-Id", "baileys");
        main.putValue("Plugin-Class", BaileysPlugin.class.getName());
        main.putValue("Plugin-Version", "0.1.0");
        main.putValue("Plugin-Provider", "WhatsApp Gateway");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, manifest);
             Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String name = classes.relativize(file).toString().replace('\\', '/');
                if (name.equals("META-INF/MANIFEST.MF")) {
                    continue;
                }
                j.putNextEntry(new JarEntry(name));
                Files.copy(file, j);
                j.closeEntry();
            }
        }
    }
}
