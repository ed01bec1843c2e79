package org.convergenceledger.command;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The command service is packaged by capability (activity, coordination, registry, access, audit, ingestion,
 * publishing, iati, scenario) over a `system` package of plumbing. Capabilities use each other only through what
 * they make public, never in a circle; `system` serves them all and depends on none.
 */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.convergenceledger.command");

    @Test
    void capabilitiesDoNotDependOnEachOtherInACircle() {
        slices().matching("org.convergenceledger.command.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void systemDependsOnNoCapability() {
        noClasses().that().resideInAPackage("org.convergenceledger.command.system..")
                .should().dependOnClassesThat(resideInAPackage("org.convergenceledger.command..")
                        .and(not(resideInAPackage("org.convergenceledger.command.system.."))))
                .check(CLASSES);
    }

    @Test
    void theCommandServiceKnowsNothingOfTheQueryService() {
        noClasses().should().dependOnClassesThat().resideInAPackage("org.convergenceledger.query..").check(CLASSES);
    }
}
