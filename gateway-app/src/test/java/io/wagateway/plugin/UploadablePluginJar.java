package io.wagateway.plugin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A real plugin jar (one event sink) for tests outside this package, e.g. the web UI's upload. */
public final class UploadablePluginJar {

    private UploadablePluginJar() {
    }

    /** Builds the jar of plugin {@code id} with a sink named {@code sinkName} and writes it as {@code dir/fileName}. */
    public static Path write(Path dir, String fileName, String id, String sinkName) throws IOException {
        Files.createDirectories(dir);
        return TestPluginJars.plugin(id).sink(sinkName).writeTo(dir, fileName);
    }
}
