package org.convergenceledger.query;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The query service is packaged by capability (activity, convergence, audit, agency, iati, ledger, access) over two
 * packages of plumbing: `projection` (batches, positions, the event-store reader, rebuilds) and `system` (pools,
 * Axon and Kafka, errors). Capabilities use each other only through what they make public, never in a circle; the
 * plumbing serves them and depends on none (projection only on system).
 */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.convergenceledger.query");

    @Test
    void capabilitiesDoNotDependOnEachOtherInACircle() {
        slices().matching("org.convergenceledger.query.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void systemDependsOnNoCapabilityNorOnTheProjectionMachinery() {
        noClasses().that().resideInAPackage("org.convergenceledger.query.system..")
                .should().dependOnClassesThat(resideInAPackage("org.convergenceledger.query..")
                        .and(not(resideInAPackage("org.convergenceledger.query.system.."))))
                .check(CLASSES);
    }

    @Test
    void theProjectionMachineryDependsOnNoCapability() {
        noClasses().that().resideInAPackage("org.convergenceledger.query.projection..")
                .should().dependOnClassesThat(resideInAPackage("org.convergenceledger.query..")
                        .and(not(resideInAnyPackage("org.convergenceledger.query.projection..",
                                "org.convergenceledger.query.system.."))))
                .check(CLASSES);
    }

    @Test
    void theQueryServiceKnowsNothingOfTheCommandService() {
        noClasses().should().dependOnClassesThat().resideInAPackage("org.convergenceledger.command..").check(CLASSES);
    }
}
