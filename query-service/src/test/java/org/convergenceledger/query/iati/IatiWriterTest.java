package org.convergenceledger.query.iati;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.xml.parsers.DocumentBuilderFactory;
import org.convergenceledger.events.agency.AgencyKind;
import org.convergenceledger.events.common.ActivityState;
import org.convergenceledger.events.common.BudgetSplit;
import org.convergenceledger.events.common.Money;
import org.convergenceledger.events.common.Partner;
import org.convergenceledger.events.common.PartnerRole;
import org.convergenceledger.events.common.Period;
import org.convergenceledger.events.common.Regions;
import org.convergenceledger.events.common.YearlyAmount;
import org.convergenceledger.events.iati.IatiOrganisations;
import org.convergenceledger.events.iati.IatiSchema;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class IatiWriterTest {

    private static final List<String> AGENCIES = List.of("MEFP", "ANAPEC", "OFPPT", "CNSS", "ILO", "GIZ", "EUD");
    private static final List<String> AXES = List.of("INDH", "GENDER", "CHILD_LABOUR", "WORK_LINKED_TRAINING",
            "LEGAL_MIGRATION", "SKILLS_PARTNERSHIP");
    private static final List<String> GROUPS = List.of("YOUTH", "WOMEN", "JOB_SEEKERS", "MIGRANTS", "CHILDREN");
    private static final List<String> CURRENCIES = List.of("MAD", "EUR", "USD");
    private static final Instant GENERATED = Instant.parse("2026-01-15T10:00:00Z");

    private static final ExportedActivity STARTED_WITH_PARTNERS = new ExportedActivity("ILO:WLT-BMK-2024", "ILO",
            "Quality apprenticeships pilot", "Apprenticeships & <decent> work", ActivityState.STARTED,
            List.of("WORK_LINKED_TRAINING", "GENDER", "INDH"), List.of("BENI_MELLAL_KHENIFRA", "NATIONAL"),
            List.of("YOUTH", "WOMEN"),
            List.of(new Partner("OFPPT", PartnerRole.IMPLEMENTING), new Partner("GIZ", PartnerRole.FUNDING)),
            new Period(LocalDate.parse("2024-04-15"), LocalDate.parse("2025-04-14")), Money.of("400000.00", "USD"),
            List.of(new YearlyAmount(2024, new BigDecimal("285000.00")),
                    new YearlyAmount(2025, new BigDecimal("115000.00"))),
            Money.of("384000.00", "USD"), LocalDate.parse("2024-03-26"), LocalDate.parse("2024-04-15"), null, null,
            Instant.parse("2024-04-15T09:00:00Z"));

    @Test
    void aThousandGeneratedActivitiesAreValidIati203() throws Exception {
        Random random = new Random(20260115);
        List<ExportedActivity> activities = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            activities.add(generated(random, i));
        }

        byte[] xml = write(writer -> activities.forEach(writer::write));

        assertThat(IatiSchema.violations(new ByteArrayInputStream(xml))).isEmpty();
        Document document = parse(xml);
        assertThat(document.getElementsByTagName("iati-activity").getLength()).isEqualTo(1000);
        // Every state, every role and every currency the generator can make did occur.
        assertThat(activities.stream().map(ExportedActivity::state).distinct()).hasSize(ActivityState.values().length);
        assertThat(activities.stream().flatMap(a -> a.partners().stream()).map(Partner::role).distinct())
                .hasSize(PartnerRole.values().length);
        assertThat(text(document, "transaction-type", "code")).contains("2", "4");
    }

    @Test
    void anActivityReadsAsTheLedgerHasIt() throws Exception {
        Document document = parse(write(writer -> writer.write(STARTED_WITH_PARTNERS)));
        Element activity = (Element) document.getElementsByTagName("iati-activity").item(0);

        assertThat(activity.getAttribute("default-currency")).isEqualTo("USD");
        assertThat(activity.getAttribute("xml:lang")).isEqualTo("en");
        assertThat(first(activity, "iati-identifier").getTextContent()).isEqualTo("XM-DAC-41302-WLT-BMK-2024");
        assertThat(first(activity, "reporting-org").getAttribute("ref")).isEqualTo("XM-DAC-41302");
        assertThat(first(activity, "reporting-org").getAttribute("type")).isEqualTo("40");
        assertThat(first(activity, "description").getTextContent().strip())
                .isEqualTo("Apprenticeships & <decent> work");
        assertThat(roles(activity)).containsExactly("XM-DAC-41302=2", "XM-CL-OFPPT=4", "XM-CL-GIZ=1");
        assertThat(first(activity, "activity-status").getAttribute("code")).isEqualTo("2");
        assertThat(text(activity, "activity-date", "type")).containsExactly("1", "2", "3");
        assertThat(text(activity, "location", "ref")).containsExactly("BENI_MELLAL_KHENIFRA");
        assertThat(sectors(activity)).containsExactly("1/11330@100", "99/WORK_LINKED_TRAINING@33.33",
                "99/GENDER@33.33", "99/INDH@33.34");
        assertThat(text(activity, "policy-marker", "code")).containsExactly("1");
        assertThat(text(activity, "policy-marker", "significance")).containsExactly("1");
        Element commitment = first(activity, "transaction");
        assertThat(first(commitment, "transaction-type").getAttribute("code")).isEqualTo("2");
        assertThat(first(commitment, "transaction-date").getAttribute("iso-date")).isEqualTo("2024-03-26");
        assertThat(new BigDecimal(first(commitment, "value").getTextContent())).isEqualByComparingTo("384000");
        assertThat(activity.getElementsByTagName("transaction").getLength()).as("no expenditure before completion")
                .isEqualTo(1);
        assertThat(text(activity, "cl:target-group", "code")).containsExactly("YOUTH", "WOMEN");
        // One budget per calendar year of the split, each over the part of the planned period in that year.
        NodeList budgets = activity.getElementsByTagName("budget");
        assertThat(budgets.getLength()).isEqualTo(2);
        assertThat(text(activity, "period-start", "iso-date")).containsExactly("2024-04-15", "2025-01-01");
        assertThat(text(activity, "period-end", "iso-date")).containsExactly("2024-12-31", "2025-04-14");
        assertThat(new BigDecimal(first((Element) budgets.item(1), "value").getTextContent()))
                .isEqualByComparingTo("115000");
        assertThat(first((Element) budgets.item(1), "value").getAttribute("value-date")).isEqualTo("2025-01-01");
    }

    @Test
    void aVersionWithoutASplitHasOneBudgetOverItsPeriod() throws Exception {
        ExportedActivity unsplit = bare("MEFP:X-2", new Period(LocalDate.parse("2024-07-01"),
                LocalDate.parse("2025-06-30")));

        Element activity = (Element) parse(write(writer -> writer.write(unsplit)))
                .getElementsByTagName("iati-activity").item(0);

        assertThat(text(activity, "period-start", "iso-date")).containsExactly("2024-07-01");
        assertThat(text(activity, "period-end", "iso-date")).containsExactly("2025-06-30");
    }

    @Test
    void anActivityWithoutDescriptionRepeatsItsTitle() throws Exception {
        ExportedActivity bare = bare("MEFP:X-1", new Period(LocalDate.parse("2025-01-01"),
                LocalDate.parse("2025-12-31")));

        byte[] xml = write(writer -> writer.write(bare));

        assertThat(IatiSchema.violations(new ByteArrayInputStream(xml))).isEmpty();
        Element activity = (Element) parse(xml).getElementsByTagName("iati-activity").item(0);
        assertThat(first(activity, "description").getTextContent().strip()).isEqualTo("A title");
        assertThat(activity.getElementsByTagName("location").getLength()).isZero();
        assertThat(activity.getElementsByTagName("transaction").getLength()).isZero();
    }

    @Test
    void sharesAddUpToAHundred() {
        for (int n = 1; n <= 50; n++) {
            assertThat(IatiWriter.shares(n).stream().reduce(BigDecimal.ZERO, BigDecimal::add))
                    .isEqualByComparingTo("100");
        }
        assertThat(IatiWriter.shares(3)).extracting(BigDecimal::toPlainString).containsExactly("33.33", "33.33",
                "33.34");
        assertThat(IatiWriter.shares(2)).extracting(BigDecimal::toPlainString).containsExactly("50", "50");
    }

    /** A proposal with a title and nothing more: no description, national, no partners, no split by year. */
    private static ExportedActivity bare(String id, Period period) {
        return new ExportedActivity(id, "MEFP", "A title", null, ActivityState.PROPOSED, List.of("INDH"),
                List.of(Regions.NATIONAL), List.of("YOUTH"), List.of(), period, Money.of("10", "MAD"), List.of(), null,
                null, null, null, null, GENERATED);
    }

    private static ExportedActivity generated(Random random, int i) {
        String lead = AGENCIES.get(random.nextInt(AGENCIES.size()));
        ActivityState state = ActivityState.values()[random.nextInt(ActivityState.values().length)];
        String currency = CURRENCIES.get(random.nextInt(CURRENCIES.size()));
        LocalDate start = LocalDate.of(2024, 1, 1).plusDays(random.nextInt(700));
        LocalDate end = start.plusDays(30 + random.nextInt(700));
        Money budget = new Money(BigDecimal.valueOf(random.nextInt(5_000_000), 2), currency);
        boolean committed = state != ActivityState.PROPOSED
                && (state != ActivityState.CANCELLED || random.nextBoolean());
        boolean started = state == ActivityState.STARTED || state == ActivityState.SUSPENDED
                || state == ActivityState.COMPLETED;
        boolean completed = state == ActivityState.COMPLETED;
        List<Partner> partners = new ArrayList<>();
        for (String agency : AGENCIES) {
            if (!agency.equals(lead) && random.nextInt(5) == 0) {
                partners.add(new Partner(agency, PartnerRole.values()[random.nextInt(PartnerRole.values().length)]));
            }
        }
        return new ExportedActivity(lead + ":GEN-" + i, lead, "Generated activity " + i + " <&> \"quoted\"",
                random.nextInt(4) == 0 ? null : "Description of " + i + " — é, ع, 中",
                state, some(random, AXES), some(random, Regions.ALL), some(random, GROUPS), partners,
                new Period(start, end), budget, BudgetSplit.proRata(new Period(start, end), budget),
                committed ? new Money(budget.amount().multiply(new BigDecimal("0.96")), currency) : null,
                committed ? start.minusDays(20) : null, started ? start : null, completed ? end : null,
                completed ? new Money(budget.amount().multiply(new BigDecimal("0.8")), currency) : null,
                GENERATED.minusSeconds(random.nextInt(1_000_000)));
    }

    private static List<String> some(Random random, List<String> from) {
        LinkedHashSet<String> picked = new LinkedHashSet<>();
        int count = 1 + random.nextInt(Math.min(4, from.size()));
        while (picked.size() < count) {
            picked.add(from.get(random.nextInt(from.size())));
        }
        return List.copyOf(picked);
    }

    private static byte[] write(Consumer<IatiWriter> activities) {
        Map<String, Organisation> agencies = new HashMap<>();
        Map<String, AgencyKind> kinds = new HashMap<>(Map.of("MEFP", AgencyKind.MINISTRY, "CNSS",
                AgencyKind.SOCIAL_FUND, "EUD", AgencyKind.DONOR, "ILO", AgencyKind.INTERNATIONAL_PARTNER,
                "GIZ", AgencyKind.INTERNATIONAL_PARTNER));
        for (String code : AGENCIES) {
            agencies.put(code, new Organisation(code, code + " full name", kinds.getOrDefault(code,
                    AgencyKind.PUBLIC_AGENCY)));
        }
        Map<String, String> axes = new HashMap<>();
        AXES.forEach(axis -> axes.put(axis, axis.toLowerCase().replace('_', ' ')));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (IatiWriter writer = new IatiWriter(out, new IatiWriter.Document(
                new IatiOrganisations(Map.of("ILO", "XM-DAC-41302")), agencies, axes, "en", GENERATED, 42L, null,
                null))) {
            activities.accept(writer);
        }
        return out.toByteArray();
    }

    private static Document parse(byte[] xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
    }

    private static Element first(Element parent, String name) {
        return (Element) parent.getElementsByTagName(name).item(0);
    }

    private static List<String> text(Object parent, String element, String attribute) {
        return each(parent, element, found -> found.getAttribute(attribute));
    }

    private static List<String> roles(Element activity) {
        return each(activity, "participating-org", org -> org.getAttribute("ref") + "=" + org.getAttribute("role"));
    }

    private static List<String> sectors(Element activity) {
        return each(activity, "sector", sector -> sector.getAttribute("vocabulary") + "/"
                + sector.getAttribute("code") + "@" + sector.getAttribute("percentage"));
    }

    /** What each element of that name below the parent says, in document order. */
    private static List<String> each(Object parent, String element, Function<Element, String> what) {
        NodeList nodes = parent instanceof Document document ? document.getElementsByTagName(element)
                : ((Element) parent).getElementsByTagName(element);
        List<String> values = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            values.add(what.apply((Element) nodes.item(i)));
        }
        return values;
    }
}
