package io.ordersaga.standalone;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.axonframework.spring.stereotype.Aggregate;
import org.axonframework.spring.stereotype.Saga;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The rules of the code base's shape, checked on every module's production classes. */
class ArchitectureTest {

    private static final List<String> SERVICES = List.of("order", "inventory", "payment", "shipping", "notification");
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.ordersaga");
    }

    @ParameterizedTest(name = "{0}-service depends on no other service")
    @ValueSource(strings = {"order", "inventory", "payment", "shipping", "notification"})
    void aServiceDependsOnNoOtherService(String service) {
        String[] others = SERVICES.stream().filter(other -> !other.equals(service))
                .map(other -> "io.ordersaga." + other + "..").toArray(String[]::new);
        noClasses().that().resideInAPackage("io.ordersaga." + service + "..")
                .should().dependOnClassesThat().resideInAnyPackage(others)
                .check(classes);
    }

    @Test
    void servicesShareOnlyTheContractsAndThePlatform() {
        noClasses().that().resideInAnyPackage(SERVICES.stream().map(s -> "io.ordersaga." + s + "..")
                        .toArray(String[]::new))
                .should().dependOnClassesThat().resideInAPackage("io.ordersaga.standalone..")
                .check(classes);
        noClasses().that().resideInAnyPackage("io.ordersaga.contracts..", "io.ordersaga.platform..")
                .should().dependOnClassesThat().resideInAnyPackage(Stream.concat(SERVICES.stream(),
                        Stream.of("standalone")).map(s -> "io.ordersaga." + s + "..").toArray(String[]::new))
                .check(classes);
    }

    @Test
    void contractsAreRecordsWithAxonAnnotationsOnly() {
        classes().that().resideInAPackage("io.ordersaga.contracts..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(
                        "java.lang..", "java.math..", "java.util..", "io.ordersaga.contracts..",
                        "org.axonframework.modelling.command..")
                .because("contracts are a plain jar of messages: no Spring, no JPA, no Jackson")
                .check(classes);
        noClasses().that().resideInAPackage("io.ordersaga.contracts..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "jakarta.persistence..")
                .check(classes);
    }

    @Test
    void aggregatesDoNoIo() {
        ArchRule rule = noClasses().that().areAnnotatedWith(Aggregate.class)
                .should().dependOnClassesThat().resideInAnyPackage(
                        "java.io..", "java.net..", "java.nio..", "java.sql..", "javax.sql..", "jakarta.persistence..",
                        "org.springframework..", "..gateway..", "..carrier..", "..sender..", "..query..", "..web..")
                .because("an aggregate decides and records; ports, adapters and projections do the I/O");
        rule.check(classes);
    }

    @Test
    void aggregatesReadNoClockAndDrawNoRandomness() {
        noClasses().that().areAnnotatedWith(Aggregate.class)
                .should().callMethod(Instant.class, "now")
                .orShould().callMethod(UUID.class, "randomUUID")
                .orShould().dependOnClassesThat().areAssignableTo(Random.class)
                .orShould().dependOnClassesThat().areAssignableTo(Clock.class)
                .because("replaying an aggregate's events must rebuild exactly the same state")
                .check(classes);
    }

    @Test
    void theSagaDispatchesCommandsAndTouchesNoWebOrPersistence() {
        noClasses().that().areAnnotatedWith(Saga.class)
                .should().dependOnClassesThat().resideInAnyPackage(
                        "java.net..", "java.sql..", "jakarta.persistence..", "org.springframework.jdbc..",
                        "org.springframework.data..", "org.springframework.web..", "..web..", "..query..")
                .check(classes);
    }

    @Test
    void controllersSendCommandsInsteadOfTouchingAggregates() {
        noClasses().that().resideInAPackage("..web..")
                .should().dependOnClassesThat().areAnnotatedWith(Aggregate.class)
                .check(classes);
    }

    @Test
    void nothingUsesXStream() {
        noClasses().should().dependOnClassesThat().resideInAPackage("com.thoughtworks.xstream..")
                .check(classes);
    }
}
