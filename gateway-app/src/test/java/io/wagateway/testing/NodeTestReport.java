package io.wagateway.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.DynamicTest;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** One JUnit test per case of a {@code node --test} JUnit report; a skipped case fails. */
public final class NodeTestReport {

    private NodeTestReport() {
    }

    public static List<DynamicTest> cases(Path report) throws Exception {
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
