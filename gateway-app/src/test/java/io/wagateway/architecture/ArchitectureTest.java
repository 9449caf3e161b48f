package io.wagateway.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The arrows of the README's layout section, checked on the compiled host and plugin API. A rule
 * that breaks names the offending class and dependency.
 */
@AnalyzeClasses(packages = "io.wagateway", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule packagesFormNoCycle = slices().matching("io.wagateway.(*)..")
            .should().beFreeOfCycles()
            .as("no two io.wagateway packages reach each other");

    @ArchTest
    static final ArchRule pluginApiUsesOnlyTheJdkAndExtensionPoint = classes()
            .that().resideInAPackage("io.wagateway.api..")
            .should().onlyDependOnClassesThat(DescribedPredicate.describe("the JDK, the API itself or PF4J's ExtensionPoint",
                    (JavaClass c) -> c.getPackageName().startsWith("java.")
                            || c.getPackageName().startsWith("io.wagateway.api")
                            || c.getName().equals("org.pf4j.ExtensionPoint")))
            .as("plugin-api uses nothing but the JDK and PF4J's ExtensionPoint");

    @ArchTest
    static final ArchRule onlyThePluginHostKnowsPf4j = noClasses()
            .that().resideOutsideOfPackages("io.wagateway.plugin..", "io.wagateway.api..")
            .should().dependOnClassesThat().resideInAPackage("org.pf4j..")
            .as("only io.wagateway.plugin imports PF4J");

    @ArchTest
    static final ArchRule onlyTheSocketEdgeKnowsNetty = noClasses()
            .that().resideOutsideOfPackage("io.wagateway.socket..")
            .should().dependOnClassesThat().resideInAnyPackage("io.netty..", "com.corundumstudio..")
            .as("only io.wagateway.socket imports Netty or netty-socketio");

    @ArchTest
    static final ArchRule domainServicesKnowNoHttp = noClasses()
            .that(DescribedPredicate.describe("are domain services or stores", (JavaClass c) ->
                    (c.getSimpleName().endsWith("Service") && !c.getSimpleName().endsWith("HttpService"))
                            || c.getSimpleName().endsWith("Store") || c.getPackageName().startsWith("io.wagateway.error")))
            .should().dependOnClassesThat().resideInAnyPackage("io.helidon.http..", "io.helidon.webserver..",
                    "io.wagateway.http..")
            .as("a domain service knows no HTTP type");

    @ArchTest
    static final ArchRule deliverySeesPluginsOnlyThroughTheSinkRegistry = noClasses()
            .that().resideInAPackage("io.wagateway.delivery..")
            .should().dependOnClassesThat(DescribedPredicate.describe("plugin-manager classes other than the sink view",
                    (JavaClass c) -> c.getPackageName().equals("io.wagateway.plugin")
                            && !java.util.Set.of("io.wagateway.plugin.SinkRegistry", "io.wagateway.plugin.SinkRegistry$Listener",
                                    "io.wagateway.plugin.RegisteredSink", "io.wagateway.plugin.Failures").contains(c.getName())))
            .as("the delivery pipeline sees plugins only through SinkRegistry and RegisteredSink");

    @ArchTest
    static final ArchRule nothingButTheAssemblyImportsTheWebUi = noClasses()
            .that().resideOutsideOfPackages("io.wagateway.web..")
            .and().doNotHaveFullyQualifiedName("io.wagateway.Gateway")
            .should().dependOnClassesThat().resideInAPackage("io.wagateway.web..")
            .as("the web UI is a leaf feature: only the gateway's assembly knows it");

    @ArchTest
    static final ArchRule onlyTheWebUiKnowsThymeleaf = noClasses()
            .that().resideOutsideOfPackage("io.wagateway.web..")
            .should().dependOnClassesThat().resideInAnyPackage("org.thymeleaf..")
            .as("only io.wagateway.web renders templates");
}
