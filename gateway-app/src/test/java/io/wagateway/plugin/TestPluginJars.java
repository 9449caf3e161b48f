package io.wagateway.plugin;

import io.wagateway.api.GatewayApi;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Builds real PF4J plugin jars in tests: Java sources compiled with the system compiler against the
 * test class path into a temporary folder (so the plugin classes are never on the test class path),
 * a PF4J manifest, and {@code META-INF/extensions.idx} written by hand (no annotation processing).
 *
 * <p>Generated classes live in package {@code testplugins.<id>}. Engines answer the action
 * {@code version} with {@code {version, engine}}; sinks and lifecycle classes write to {@link TestInbox}.
 * Compiled jars are cached by content, so tests may build the same jar often.
 */
final class TestPluginJars {

    private static final Map<String, byte[]> CACHE = new ConcurrentHashMap<>();

    private TestPluginJars() {
    }

    /** @return a builder for a plugin with this {@code Plugin-Id} (null for none), version 1.0.0, API 1.x */
    static Builder plugin(String id) {
        return new Builder(id);
    }

    /** Writes bytes that are not a zip file at all. */
    static Path writeCorrupt(Path dir, String fileName) throws IOException {
        return Files.write(dir.resolve(fileName), "this is not a jar".getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code bytes} to a temporary name in {@code dir}, then moves it over {@code fileName} atomically. */
    static Path moveIn(Path dir, String fileName, byte[] bytes) throws IOException {
        Path temporary = Files.write(dir.resolve(fileName + ".part"), bytes);
        return Files.move(temporary, dir.resolve(fileName), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    static final class Builder {
        private final String id;
        private String version = "1.0.0";
        private String requires = ">=1.0.0 & <2.0.0";
        private String pluginClass;
        private String dependencies;
        private boolean manifest = true;
        private final Map<String, String> sources = new LinkedHashMap<>();
        private final List<String> extensions = new ArrayList<>();

        private Builder(String id) {
            this.id = id;
        }

        Builder version(String value) {
            version = value;
            return this;
        }

        Builder requires(String value) {
            requires = value;
            return this;
        }

        Builder dependencies(String value) {
            dependencies = value;
            return this;
        }

        Builder withoutManifest() {
            manifest = false;
            return this;
        }

        /** Names a {@code Plugin-Class} in the manifest without adding its source. */
        Builder pluginClassName(String fqcn) {
            pluginClass = fqcn;
            return this;
        }

        /** Adds a {@code Plugin-Class} that records {@code start:<id>} and {@code stop:<id>}, running {@code startBody} on start. */
        Builder lifecycle(String startBody) {
            return lifecycle(startBody, "");
        }

        /** As {@link #lifecycle(String)}, also running {@code stopBody} on stop. */
        Builder lifecycle(String startBody, String stopBody) {
            String fqcn = pkg() + ".TestPlugin";
            pluginClass = fqcn;
            return source(fqcn, """
                    package %s;
                    public class TestPlugin extends org.pf4j.Plugin {
                        @Override public void start() { io.wagateway.plugin.TestInbox.record("start:%s"); %s }
                        @Override public void stop() { io.wagateway.plugin.TestInbox.record("stop:%s"); %s }
                    }
                    """.formatted(pkg(), id, startBody, id, stopBody));
        }

        Builder lifecycle() {
            return lifecycle("");
        }

        /** Adds an engine named {@code name}; {@code members} go into its class ({@code $CLASS} is its simple name). */
        Builder engine(String name, String members) {
            String simple = className(name, "Engine");
            return source(pkg() + "." + simple, """
                    package %s;
                    import io.wagateway.api.*;
                    import java.util.Map;
                    @org.pf4j.Extension
                    public class %s implements WhatsAppEngine {
                        @Override public String name() { return "%s"; }
                        @Override public EngineSession open(EngineContext context) { return new Session(context); }
                        %s
                        static final class Session implements EngineSession {
                            private final EngineContext context;
                            Session(EngineContext context) { this.context = context; }
                            @Override public void start() { context.connected("+100", "%s"); }
                            @Override public void stop() { }
                            @Override public void logout() { }
                            @Override public void send(OutgoingMessage message) { }
                            @Override public Map<String, Object> action(String action, Map<String, Object> params) {
                                return Map.of("version", "%s", "engine", "%s");
                            }
                        }
                    }
                    """.formatted(pkg(), simple, name, members.replace("$CLASS", simple), version, version, name))
                    .extension(pkg() + "." + simple);
        }

        Builder engine(String name) {
            return engine(name, "");
        }

        /** Adds a sink named {@code name} that records {@code <name>:<sessionId>}; {@code members} go into its class. */
        Builder sink(String name, String members) {
            String simple = className(name, "Sink");
            return source(pkg() + "." + simple, """
                    package %s;
                    import io.wagateway.api.*;
                    @org.pf4j.Extension
                    public class %s implements EventSink {
                        @Override public String name() { return "%s"; }
                        @Override public void deliver(GatewayEvent event) {
                            io.wagateway.plugin.TestInbox.record("%s:" + event.sessionId());
                        }
                        %s
                    }
                    """.formatted(pkg(), simple, name, name, members.replace("$CLASS", simple)))
                    .extension(pkg() + "." + simple);
        }

        Builder sink(String name) {
            return sink(name, "");
        }

        Builder source(String fqcn, String code) {
            sources.put(fqcn, code);
            return this;
        }

        Builder extension(String fqcn) {
            extensions.add(fqcn);
            return this;
        }

        /** @return the jar's bytes (compiled once per distinct content) */
        byte[] bytes() {
            return CACHE.computeIfAbsent(cacheKey(), key -> build());
        }

        Path writeTo(Path dir, String fileName) throws IOException {
            return Files.write(dir.resolve(fileName), bytes());
        }

        Path moveTo(Path dir, String fileName) throws IOException {
            return moveIn(dir, fileName, bytes());
        }

        private String pkg() {
            return "testplugins." + (id == null ? "noid" : id.replaceAll("[^A-Za-z0-9]", "_").toLowerCase(Locale.ROOT));
        }

        private static String className(String name, String suffix) {
            String clean = name.replaceAll("[^A-Za-z0-9]", "");
            return Character.toUpperCase(clean.charAt(0)) + clean.substring(1) + suffix;
        }

        private String cacheKey() {
            return String.join("\u0000", String.valueOf(id), version, requires, String.valueOf(pluginClass),
                    String.valueOf(dependencies), String.valueOf(manifest), sources.toString(), extensions.toString());
        }

        private byte[] build() {
            Path classes = null;
            try {
                classes = Files.createTempDirectory("test-plugin-classes");
                if (!sources.isEmpty()) {
                    compile(classes);
                }
                return jar(classes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                deleteTree(classes);
            }
        }

        private void compile(Path classes) throws IOException {
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
            try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
                List<JavaFileObject> units = new ArrayList<>();
                sources.forEach((fqcn, code) -> units.add(new SourceString(fqcn, code)));
                List<String> options = List.of("-classpath", classPath(), "-d", classes.toString(), "-proc:none",
                        "-Xlint:none", "-implicit:none");
                if (!javac.getTask(null, files, diagnostics, options, null, units).call()) {
                    throw new AssertionError("Test plugin sources do not compile: " + diagnostics.getDiagnostics());
                }
            }
        }

        private byte[] jar(Path classes) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (JarOutputStream jar = manifest ? new JarOutputStream(bytes, manifest()) : new JarOutputStream(bytes);
                 Stream<Path> files = Files.walk(classes)) {
                for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                    jar.putNextEntry(new JarEntry(classes.relativize(file).toString().replace(File.separatorChar, '/')));
                    jar.write(Files.readAllBytes(file));
                    jar.closeEntry();
                }
                if (!extensions.isEmpty()) {
                    jar.putNextEntry(new JarEntry("META-INF/extensions.idx"));
                    jar.write((String.join("\n", extensions) + "\n").getBytes(StandardCharsets.UTF_8));
                    jar.closeEntry();
                }
            }
            return bytes.toByteArray();
        }

        private Manifest manifest() {
            Manifest result = new Manifest();
            Attributes main = result.getMainAttributes();
            main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
            putIfSet(main, "Plugin-Id", id);
            putIfSet(main, "Plugin-Version", version);
            putIfSet(main, "Plugin-Class", pluginClass);
            putIfSet(main, "Plugin-Requires", requires);
            putIfSet(main, "Plugin-Dependencies", dependencies);
            return result;
        }

        private static void putIfSet(Attributes attributes, String name, String value) {
            if (value != null) {
                attributes.putValue(name, value);
            }
        }
    }

    /**
     * The test class path, plus the folders of the API, PF4J and these test classes: under Surefire
     * {@code java.class.path} may be a single manifest-only jar that javac does not read through.
     */
    private static String classPath() {
        Set<String> entries = new LinkedHashSet<>(List.of(System.getProperty("java.class.path").split(File.pathSeparator)));
        for (Class<?> type : List.of(GatewayApi.class, org.pf4j.Extension.class, TestInbox.class)) {
            try {
                entries.add(Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static void deleteTree(Path root) {
        if (root == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class SourceString extends SimpleJavaFileObject {
        private final String code;

        SourceString(String fqcn, String code) {
            super(URI.create("string:///" + fqcn.replace('.', '/') + Kind.SOURCE.extension), Kind.SOURCE);
            this.code = code;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return code;
        }
    }
}
