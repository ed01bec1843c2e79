package org.convergenceledger.command.iati;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.convergenceledger.command.registry.Registry;
import org.convergenceledger.events.activity.ProposeActivity;
import org.convergenceledger.events.common.Money;
import org.convergenceledger.events.common.Partner;
import org.convergenceledger.events.common.PartnerRole;
import org.convergenceledger.events.common.Period;
import org.convergenceledger.events.common.Regions;
import org.convergenceledger.events.iati.IatiOrganisations;
import org.junit.jupiter.api.Test;

class IatiMappingTest {

    private static final IatiOrganisations ORGANISATIONS = new IatiOrganisations(Map.of("ILO", "XM-DAC-41302"));
    private static final Set<String> AGENCIES = Set.of("ILO", "OFPPT", "GIZ", "ANAPEC");
    private static final Set<String> AXES = Set.of("WORK_LINKED_TRAINING", "GENDER", "INDH");
    private static final Registry REGISTRY = new Registry() {
        @Override
        public boolean isRegisteredAgency(String agencyCode) {
            return AGENCIES.contains(agencyCode);
        }

        @Override
        public boolean isDefinedAxis(String axisCode) {
            return AXES.contains(axisCode);
        }
    };

    /** A partner's activity: DAC and own sectors, a gender marker, two regions by ref and by name, partners. */
    static final String PARTNER_ACTIVITY = """
            <iati-activity xmlns:cl="urn:convergence-ledger:iati" default-currency="USD">
              <iati-identifier>XM-DAC-41302-APP-2026</iati-identifier>
              <reporting-org ref="XM-DAC-41302" type="40"><narrative>ILO</narrative></reporting-org>
              <title><narrative>Apprenticeships in agri-food</narrative></title>
              <description type="1"><narrative>Two cohorts</narrative></description>
              <participating-org ref="XM-DAC-41302" role="2" type="40"/>
              <participating-org ref="XM-CL-OFPPT" role="4" type="15"/>
              <participating-org ref="XM-CL-GIZ" role="9" type="10"/>
              <participating-org ref="GB-GOV-1" role="1" type="10"/>
              <activity-status code="2"/>
              <activity-date type="1" iso-date="2026-01-01"/>
              <activity-date type="2" iso-date="2026-01-05"/>
              <activity-date type="3" iso-date="2026-12-31Z"/>
              <recipient-country code="MA" percentage="100"/>
              <location ref="SOUSS_MASSA"><name><narrative>Souss-Massa</narrative></name></location>
              <location><name><narrative>Fes Meknes</narrative></name></location>
              <location ref="X"><name><narrative>Atlantis</narrative></name></location>
              <sector vocabulary="1" code="11330" percentage="60"/>
              <sector code="99999" percentage="40"/>
              <sector vocabulary="99" code="INDH"/>
              <sector vocabulary="99" code="NOT_AN_AXIS"/>
              <policy-marker vocabulary="1" code="1" significance="2"/>
              <policy-marker vocabulary="1" code="5" significance="0"/>
              <budget type="1"><period-start iso-date="2026-01-01"/><period-end iso-date="2026-06-30"/>
                <value currency="USD" value-date="2026-01-01">100000</value></budget>
              <budget type="1"><period-start iso-date="2026-07-01"/><period-end iso-date="2026-12-31"/>
                <value value-date="2026-07-01">50000</value></budget>
              <budget type="2"><period-start iso-date="2026-07-01"/><period-end iso-date="2026-12-31"/>
                <value value-date="2026-07-01">60000.50</value></budget>
              <transaction><transaction-type code="2"/><transaction-date iso-date="2026-01-02"/>
                <value currency="USD" value-date="2026-01-02">160000</value></transaction>
              <cl:target-group code="YOUTH"/>
              <cl:target-group code="WOMEN"/>
            </iati-activity>
            """;

    @Test
    void aPartnersActivityBecomesItsProposal() {
        IatiMapping.Mapped mapped = map(PARTNER_ACTIVITY, "ILO");

        assertThat(mapped.refused()).as(mapped.refusals().toString()).isFalse();
        ProposeActivity proposal = mapped.proposal();
        assertThat(proposal.activityId()).isEqualTo("ILO:APP-2026");
        assertThat(proposal.leadAgency()).isEqualTo("ILO");
        assertThat(proposal.title()).isEqualTo("Apprenticeships in agri-food");
        assertThat(proposal.description()).isEqualTo("Two cohorts");
        assertThat(proposal.axes()).containsExactly("INDH", "WORK_LINKED_TRAINING", "GENDER");
        assertThat(proposal.regions()).containsExactly("SOUSS_MASSA", "FES_MEKNES");
        assertThat(proposal.targetGroups()).containsExactly("YOUTH", "WOMEN");
        assertThat(proposal.plannedPeriod()).isEqualTo(new Period(LocalDate.parse("2026-01-01"),
                LocalDate.parse("2026-12-31")));
        // Per period the revised budget where there is one, added up; the default currency where none is given.
        assertThat(proposal.plannedBudget().currency()).isEqualTo("USD");
        assertThat(proposal.plannedBudget().amount()).isEqualByComparingTo("160000.50");
        assertThat(proposal.partners()).containsExactly(new Partner("OFPPT", PartnerRole.IMPLEMENTING));
        assertThat(String.join("\n", mapped.warnings())).contains("99999", "NOT_AN_AXIS", "Atlantis", "GB-GOV-1",
                "role 9", "activity-status 2 and 1 transaction(s) are not imported", "2 budget periods");
        assertThat(String.join("\n", mapped.warnings())).as("a marker not targeted is no warning").doesNotContain(
                "policy marker 5");
    }

    @Test
    void anotherOrganisationsActivityIsRefused() {
        IatiMapping.Mapped mapped = map(PARTNER_ACTIVITY, "GIZ");

        assertThat(mapped.refused()).isTrue();
        assertThat(mapped.refusals()).singleElement().asString().contains("XM-DAC-41302", "XM-CL-GIZ");
        assertThat(mapped.proposal()).isNull();
    }

    @Test
    void anIdentifierThatIsNotTheReportersIsRefused() {
        assertThat(map(PARTNER_ACTIVITY.replace("XM-DAC-41302-APP-2026", "XM-DAC-99999-APP-2026"), "ILO").refusals())
                .singleElement().asString().contains("does not start with XM-DAC-41302-");
        assertThat(map(PARTNER_ACTIVITY.replace("XM-DAC-41302-APP-2026", "XM-DAC-41302-APP/2026"), "ILO")
                .refusals()).singleElement().asString().contains("letters, digits");
    }

    @Test
    void anActivityOutsideMoroccoIsRefused() {
        assertThat(map(PARTNER_ACTIVITY.replace("code=\"MA\"", "code=\"TN\""), "ILO").refusals())
                .singleElement().asString().contains("[TN]");
    }

    @Test
    void budgetsInSeveralCurrenciesAreRefused() {
        assertThat(map(PARTNER_ACTIVITY.replace("default-currency=\"USD\"", "default-currency=\"EUR\""), "ILO")
                .refusals()).singleElement().asString().contains("[EUR, USD]");
    }

    @Test
    void noLocationIsTheWholeCountryAndADescriptionLikeTheTitleIsNone() {
        String national = PARTNER_ACTIVITY.replaceAll("(?s)<location.*?</location>", "")
                .replace("Two cohorts", "Apprenticeships in agri-food");

        ProposeActivity proposal = map(national, "ILO").proposal();

        assertThat(proposal.regions()).containsExactly(Regions.NATIONAL);
        assertThat(proposal.description()).isNull();
    }

    @Test
    void whatIatiCannotSayIsLeftToTheContentRulesWithAWarning() {
        String bare = PARTNER_ACTIVITY.replaceAll("(?s)<cl:target-group[^>]*/>", "")
                .replaceAll("(?s)<budget.*?</budget>", "");

        IatiMapping.Mapped mapped = map(bare, "ILO");

        assertThat(mapped.refused()).isFalse();
        assertThat(mapped.proposal().targetGroups()).isEmpty();
        assertThat(mapped.proposal().plannedBudget()).isNull();
        assertThat(String.join("\n", mapped.warnings())).contains("no target group", "cl:target-group", "no budget");
    }

    @Test
    void aPlanReadBackWithAxesInAnotherOrderOrAmountsWithOtherZerosIsUnchanged() {
        ProposeActivity proposal = map(PARTNER_ACTIVITY, "ILO").proposal();
        ImportedPlan plan = ImportedPlan.of(proposal);
        ImportedPlan reordered = new ImportedPlan(plan.title(), null, List.of("GENDER", "INDH", "WORK_LINKED_TRAINING"),
                plan.regions(), plan.targetGroups(), plan.period(),
                new Money(new BigDecimal("160000.5000"), "USD"));

        assertThat(reordered.changes(plan)).isFalse();
        assertThat(new ImportedPlan("Another title", null, plan.axes(), plan.regions(), plan.targetGroups(),
                plan.period(), plan.budget()).changes(plan)).isTrue();
        assertThat(new ImportedPlan(plan.title(), null, plan.axes(), plan.regions(), plan.targetGroups(),
                plan.period(), new Money(new BigDecimal("160000.50"), "EUR")).changes(plan)).isTrue();
    }

    @Test
    void aFileThatBreaksTheSchemaIsRefusedWholeWithItsLine() {
        String noReporter = file(PARTNER_ACTIVITY.replaceAll("<reporting-org.*?</reporting-org>", ""));

        assertThatThrownBy(() -> IatiFile.read(noReporter.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(InvalidIatiFile.class, invalid -> {
                    assertThat(invalid.violations()).isNotEmpty();
                    assertThat(invalid.violations().get(0).line()).isEqualTo(6);
                    assertThat(invalid.getMessage()).startsWith("line 6, column");
                });
    }

    @Test
    void anEntityInAFileIsNeverRead() {
        String hostile = file(PARTNER_ACTIVITY.replace("Two cohorts", "&secret;"))
                .replace("<iati-activities", "<!DOCTYPE iati-activities [<!ENTITY secret SYSTEM "
                        + "\"file:///etc/hostname\">]>\n<iati-activities");

        assertThatThrownBy(() -> IatiFile.read(hostile.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(InvalidIatiFile.class, invalid ->
                        assertThat(invalid.getMessage()).containsIgnoringCase("DOCTYPE"));
    }

    private static IatiMapping.Mapped map(String activity, String agency) {
        List<IatiActivityIn> read = IatiFile.read(file(activity).getBytes(StandardCharsets.UTF_8));
        assertThat(read).hasSize(1);
        return IatiMapping.map(read.get(0), agency, ORGANISATIONS, REGISTRY);
    }

    static String file(String... activities) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<iati-activities version=\"2.03\">\n"
                + String.join("", activities) + "</iati-activities>\n";
    }
}
