package io.wagateway.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.wagateway.http.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.DynamicTest;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * A {@code node --test} suite from {@code src/test/node} as JUnit tests: one per case of its JUnit
 * report (a skipped case fails), and one for node's exit code.
 */
public final class NodeTestReport {

    private NodeTestReport() {
    }

    /**
     * Runs {@code node --test [nodeOptions] script} with {@code config} as JSON in the environment
     * variable {@code configVariable}, its output echoed with a {@code [node]} prefix.
     *
     * @return one test per Node test case, and a last one that fails (with Node's output) unless node exited 0
     */
    public static List<DynamicTest> run(String script, List<String> nodeOptions, String configVariable,
                                        Map<String, Object> config, Duration timeout) throws Exception {
        Path report = Files.createTempFile("node-test-", ".xml");
        try {
            List<String> args = new ArrayList<>(List.of("--test"));
            args.addAll(nodeOptions);
            args.addAll(List.of("--test-reporter=spec", "--test-reporter-destination=stdout",
                    "--test-reporter=junit", "--test-reporter-destination=" + report, script));
            List<String> output = new ArrayList<>();
            int exit;
            try (NodeProcess node = NodeProcess.start(args,
                    Map.of(configVariable, new String(Json.bytes(config), StandardCharsets.UTF_8)),
                    line -> {
                        System.out.println("[node] " + line);
                        synchronized (output) {
                            output.add(line);
                        }
                    })) {
                exit = node.await(timeout);
            }
            List<DynamicTest> cases = cases(report);
            String log;
            synchronized (output) {
                log = String.join("\n", output);
            }
            cases.add(DynamicTest.dynamicTest("node --test exits 0", () ->
                    assertEquals(0, exit, "node --test failed; its output:\n" + log)));
            return cases;
        } finally {
            Files.deleteIfExists(report);
        }
    }

    private static List<DynamicTest> cases(Path report) throws Exception {
        List<DynamicTest> cases = new ArrayList<>();
        if (!Files.exists(report) || Files.size(report) == 0) {
            return cases;
        }
        // Node copies terminal colour codes (ESC, not allowed in XML 1.0) into failure messages.
        String xml = Files.readString(report).replaceAll("[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F]", "")
                .replaceAll("&#(?:x0*1[bB]|0*27);", "");
        NodeList testcases = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new org.xml.sax.InputSource(new java.io.StringReader(xml)))
                .getElementsByTagName("testcase");
        for (int i = 0; i < testcases.getLength(); i++) {
            Element testcase = (Element) testcases.item(i);
            String name = testcase.getAttribute("name");
            NodeList failures = testcase.getElementsByTagName("failure");
            NodeList skipped = testcase.getElementsByTagName("skipped");
            String failure = failures.getLength() > 0 ? failures.item(0).getTextContent()
                    : skipped.getLength() > 0 ? "skipped, which this suite does not allow" : null;
            cases.add(DynamicTest.dynamicTest(name, () -> {
                if (failure != null) {
                    fail(failure);
                }
            }));
        }
        return cases;
    }
}
