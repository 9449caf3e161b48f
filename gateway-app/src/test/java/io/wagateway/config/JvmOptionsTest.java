package io.wagateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code config/jvm.options}, which {@code ./gateway run} passes as {@code java @config/jvm.options}:
 * a JVM of this JDK starts with it, and every option written there is in effect (a misspelt or
 * removed option would stop {@code ./gateway run} at start, or be silently ignored).
 */
class JvmOptionsTest {

    private static final Path FILE = Stream.of(Path.of("..", "config", "jvm.options"), Path.of("config", "jvm.options"))
            .filter(Files::exists).findFirst().orElseThrow();
    private static final Pattern OPTION = Pattern.compile("-XX:([A-Za-z0-9]+)=(\\S+)");

    @Test
    void everyOptionOfTheFileIsInEffect() throws Exception {
        List<String> options = Files.readAllLines(FILE).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertFalse(options.isEmpty());
        Process java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + FILE.toAbsolutePath(), "-XX:+PrintFlagsFinal", "-version").redirectErrorStream(true).start();
        String flags = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(java.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, java.exitValue(), flags);
        for (String option : options) {
            Matcher m = OPTION.matcher(option);
            assertTrue(m.matches(), "only -XX:Name=value options are checked here: " + option);
            Matcher set = Pattern.compile("\\s" + m.group(1) + "\\s+= (\\S+)\\s.*\\{command line\\}").matcher(flags);
            assertTrue(set.find(), m.group(1) + " is not set from the command line:\n" + flags);
            assertEquals(m.group(2), set.group(1), m.group(1));
        }
    }
}
