package org.convergenceledger.command.scenario;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.convergenceledger.events.LedgerMetadata;
import org.convergenceledger.events.activity.AddPartner;
import org.convergenceledger.events.activity.CancelActivity;
import org.convergenceledger.events.activity.CommitActivity;
import org.convergenceledger.events.activity.ConfirmPartnership;
import org.convergenceledger.events.activity.ContestPartnership;
import org.convergenceledger.events.activity.CompleteActivity;
import org.convergenceledger.events.activity.ProposeActivity;
import org.convergenceledger.events.activity.ReviseActivity;
import org.convergenceledger.events.activity.StartActivity;
import org.convergenceledger.events.activity.SuspendActivity;
import org.convergenceledger.events.agency.AgencyKind;
import org.convergenceledger.events.agency.RegisterAgency;
import org.convergenceledger.events.axis.DefineAxis;
import org.convergenceledger.events.common.Money;
import org.convergenceledger.events.common.Partner;
import org.convergenceledger.events.common.PartnerRole;
import org.convergenceledger.events.common.Period;

/**
 * The demo and acceptance scenario of DESIGN.md: the 2024 programming workshop in Rabat and the ministry's
 * convention in Marrakech. Nine agencies and partners, six axes, three dozen activities over 2024–2025, always the
 * same. Planted on purpose: ANAPEC and OFPPT both run work-linked training for youth in Tanger-Tetouan-Al Hoceima
 * without naming each other (a duplication); OFPPT and GIZ do the same in the Oriental but declared the partnership,
 * confirmed by GIZ (a joint activity); GIZ contests being named on the EU delegation's THAMM programme; no
 * child-labour activity covers Draa-Tafilalet (a gap).
 */
public final class Scenario {

    public static final String DUPLICATE_A = "ANAPEC:WLT-TTA-2024";
    public static final String DUPLICATE_B = "OFPPT:ALT-TTA-2024";
    public static final String JOINT_A = "OFPPT:ALT-ORI-2024";
    public static final String JOINT_B = "GIZ:DUAL-ORI-2024";
    /** The one partnership its named partner contests (activity, agency). */
    public static final String CONTESTED = "EUD:THAMM-2024 GIZ";
    public static final String GAP_AXIS = "CHILD_LABOUR";
    public static final String GAP_REGION = "DRAA_TAFILALET";

    /** One command as an agency's system would send it, with the envelope it would carry. */
    public record Step(Object command, String recordedBy, LocalDate occurredOn) {

        public Map<String, Object> metadata() {
            return Map.of(LedgerMetadata.RECORDED_BY, recordedBy,
                    LedgerMetadata.OCCURRED_AT, occurredOn.atTime(9, 0).toInstant(ZoneOffset.UTC).toString());
        }
    }

    private enum Reach { PROPOSED, COMMITTED, STARTED, SUSPENDED, COMPLETED, CANCELLED }

    private record Plan(String id, String title, String axes, String regions, String groups, String start,
                        String end, String budget, String currency, Reach reach, Partner... partners) {

        String lead() {
            return id.substring(0, id.indexOf(':'));
        }
    }

    private static final List<String[]> AGENCIES = List.of(
            new String[] {"MEFP", "Ministry of Employment and Vocational Training", "MINISTRY"},
            new String[] {"ANAPEC", "National Agency for the Promotion of Employment and Skills", "PUBLIC_AGENCY"},
            new String[] {"OFPPT", "Office of Vocational Training and Work Promotion", "PUBLIC_AGENCY"},
            new String[] {"CNSS", "National Social Security Fund", "SOCIAL_FUND"},
            new String[] {"CNOPS", "National Fund of Social Welfare Organisations", "SOCIAL_FUND"},
            new String[] {"ILO", "International Labour Organization", "INTERNATIONAL_PARTNER"},
            new String[] {"GIZ", "Deutsche Gesellschaft für Internationale Zusammenarbeit", "INTERNATIONAL_PARTNER"},
            new String[] {"ENABEL", "Belgian development agency", "INTERNATIONAL_PARTNER"},
            new String[] {"IOM", "International Organization for Migration", "INTERNATIONAL_PARTNER"},
            new String[] {"EUD", "Delegation of the European Union to Morocco", "DONOR"});

    private static final List<String[]> AXES = List.of(
            new String[] {"INDH", "National human-development initiative"},
            new String[] {"GENDER", "Gender equality in employment and training"},
            new String[] {"CHILD_LABOUR", "Elimination of child labour"},
            new String[] {"WORK_LINKED_TRAINING", "Work-linked training and apprenticeships"},
            new String[] {"LEGAL_MIGRATION", "Legal migration and mobility"},
            new String[] {"SKILLS_PARTNERSHIP", "Skills partnerships with employers and countries of destination"});

    private static final String TTA = "TANGER_TETOUAN_AL_HOCEIMA";
    private static final String WLT = "WORK_LINKED_TRAINING";

    private static final List<Plan> PLANS = List.of(
            new Plan(DUPLICATE_A, "Dual training for young job seekers in the North", WLT, TTA, "YOUTH,JOB_SEEKERS",
                    "2024-03-01", "2025-02-28", "1250000.00", "MAD", Reach.STARTED),
            new Plan(DUPLICATE_B, "Apprenticeships with northern industrial zones", WLT, TTA, "YOUTH",
                    "2024-06-01", "2025-06-30", "2400000.00", "MAD", Reach.COMMITTED),
            new Plan(JOINT_A, "Work-linked training in the Oriental", WLT, "ORIENTAL", "YOUTH",
                    "2024-04-01", "2025-03-31", "1800000.00", "MAD", Reach.STARTED,
                    new Partner("GIZ", PartnerRole.FUNDING)),
            new Plan(JOINT_B, "Dual vocational training support, Oriental", WLT, "ORIENTAL", "YOUTH",
                    "2024-05-01", "2025-04-30", "650000.00", "EUR", Reach.STARTED),
            new Plan("ENABEL:WLT-SOU-2024", "Apprenticeships for women in agri-food", WLT, "SOUSS_MASSA",
                    "WOMEN,YOUTH", "2024-02-01", "2025-01-31", "800000.00", "EUR", Reach.COMPLETED),
            new Plan("ANAPEC:WLT-CAS-2025", "Employer-led training contracts, Casablanca", WLT, "CASABLANCA_SETTAT",
                    "JOB_SEEKERS", "2025-02-01", "2025-12-31", "900000.00", "MAD", Reach.PROPOSED),
            new Plan("OFPPT:WLT-MAR-2025", "Hospitality apprenticeships, Marrakech convention", WLT, "MARRAKECH_SAFI",
                    "YOUTH", "2025-01-15", "2025-12-15", "1100000.00", "MAD", Reach.PROPOSED),
            new Plan("ILO:WLT-BMK-2024", "Quality apprenticeships pilot", WLT, "BENI_MELLAL_KHENIFRA", "YOUTH",
                    "2024-04-15", "2025-04-14", "400000.00", "USD", Reach.STARTED,
                    new Partner("OFPPT", PartnerRole.IMPLEMENTING)),
            new Plan("MEFP:WLT-NAT-2025", "National framework for work-linked training", WLT, "NATIONAL",
                    "EMPLOYERS", "2025-03-01", "2025-12-31", "500000.00", "MAD", Reach.PROPOSED),
            new Plan("IOM:MIG-RSK-2024", "Pre-departure orientation for labour migrants", "LEGAL_MIGRATION",
                    "RABAT_SALE_KENITRA", "MIGRANTS", "2024-01-15", "2025-06-30", "1500000.00", "USD",
                    Reach.STARTED, new Partner("ANAPEC", PartnerRole.IMPLEMENTING)),
            new Plan("ANAPEC:MOB-NAT-2024", "International placement of job seekers",
                    "LEGAL_MIGRATION,SKILLS_PARTNERSHIP", "NATIONAL", "JOB_SEEKERS", "2024-01-01", "2024-12-31",
                    "2000000.00", "MAD", Reach.COMPLETED),
            new Plan("EUD:THAMM-2024", "Towards a holistic approach to labour migration",
                    "LEGAL_MIGRATION,SKILLS_PARTNERSHIP", "CASABLANCA_SETTAT,FES_MEKNES", "YOUTH", "2024-02-01",
                    "2025-12-31", "5000000.00", "EUR", Reach.COMMITTED,
                    new Partner("ENABEL", PartnerRole.IMPLEMENTING), new Partner("GIZ", PartnerRole.IMPLEMENTING)),
            new Plan("GIZ:MIG-TTA-2024", "Skills for mobility, northern region", "LEGAL_MIGRATION", TTA,
                    "YOUTH,JOB_SEEKERS", "2024-01-10", "2024-12-20", "700000.00", "EUR", Reach.COMPLETED),
            new Plan("IOM:MIG-ORI-2025", "Safe migration information centres", "LEGAL_MIGRATION", "ORIENTAL",
                    "MIGRANTS", "2025-03-01", "2025-12-31", "600000.00", "USD", Reach.PROPOSED),
            new Plan("ENABEL:MIG-RSK-2025", "Circular mobility of skilled workers", "LEGAL_MIGRATION",
                    "RABAT_SALE_KENITRA", "JOB_SEEKERS", "2025-01-01", "2025-12-31", "450000.00", "EUR",
                    Reach.PROPOSED),
            new Plan("ENABEL:PEM-2024", "Employers' skills councils", "SKILLS_PARTNERSHIP", "ORIENTAL", "EMPLOYERS",
                    "2024-03-01", "2025-02-28", "350000.00", "EUR", Reach.STARTED),
            new Plan("GIZ:SKL-MAR-2025", "Skills partnership for tourism trades", "SKILLS_PARTNERSHIP",
                    "MARRAKECH_SAFI", "YOUTH,WOMEN", "2025-02-01", "2025-12-31", "1200000.00", "EUR",
                    Reach.PROPOSED),
            new Plan("OFPPT:SKL-FES-2024", "Sector skills observatory, Fes-Meknes", "SKILLS_PARTNERSHIP",
                    "FES_MEKNES", "EMPLOYERS", "2024-01-15", "2024-11-30", "300000.00", "MAD", Reach.COMPLETED),
            new Plan("ILO:SKL-RSK-2024", "Recognition of prior learning", "SKILLS_PARTNERSHIP", "RABAT_SALE_KENITRA",
                    "EMPLOYERS", "2024-02-01", "2024-12-31", "250000.00", "USD", Reach.COMPLETED),
            new Plan("IOM:SKL-DAK-2025", "Skills mapping of migrants in Dakhla", "SKILLS_PARTNERSHIP",
                    "DAKHLA_OUED_EDDAHAB", "MIGRANTS", "2025-04-01", "2025-12-31", "200000.00", "USD",
                    Reach.PROPOSED),
            new Plan("MEFP:GEN-NAT-2024", "Equal pay and women's employment programme", "GENDER", "NATIONAL",
                    "WOMEN", "2024-01-01", "2025-12-31", "3000000.00", "MAD", Reach.STARTED),
            new Plan("CNSS:GEN-CAS-2024", "Social coverage for women domestic workers", "GENDER",
                    "CASABLANCA_SETTAT", "WOMEN,EMPLOYERS", "2024-03-01", "2025-02-28", "1500000.00", "MAD",
                    Reach.SUSPENDED),
            new Plan("ILO:GEN-BMK-2025", "Women's cooperatives and decent work", "GENDER", "BENI_MELLAL_KHENIFRA",
                    "WOMEN", "2025-01-01", "2025-12-31", "300000.00", "USD", Reach.PROPOSED),
            new Plan("ENABEL:GEN-RSK-2024", "Women in technical trades", "GENDER", "RABAT_SALE_KENITRA",
                    "WOMEN,YOUTH", "2024-04-01", "2025-03-31", "500000.00", "EUR", Reach.CANCELLED),
            new Plan("CNOPS:GEN-FES-2025", "Maternity coverage awareness", "GENDER", "FES_MEKNES", "WOMEN",
                    "2025-02-01", "2025-11-30", "400000.00", "MAD", Reach.PROPOSED),
            new Plan("ANAPEC:GEN-MAR-2024", "Women entrepreneurs support", "GENDER", "MARRAKECH_SAFI",
                    "WOMEN,JOB_SEEKERS", "2024-05-01", "2025-04-30", "800000.00", "MAD", Reach.COMMITTED),
            new Plan("EUD:GEN-LSH-2024", "Women's employment in the southern provinces", "GENDER",
                    "LAAYOUNE_SAKIA_EL_HAMRA", "WOMEN", "2024-06-01", "2025-05-31", "900000.00", "EUR",
                    Reach.STARTED),
            new Plan("MEFP:INDH-DRA-2024", "Youth employability in oasis provinces", "INDH", "DRAA_TAFILALET",
                    "YOUTH", "2024-02-01", "2025-01-31", "1200000.00", "MAD", Reach.STARTED),
            new Plan("CNOPS:INDH-ORI-2024", "Health coverage for vulnerable households", "INDH", "ORIENTAL",
                    "WOMEN,CHILDREN", "2024-03-01", "2025-02-28", "700000.00", "MAD", Reach.COMMITTED),
            new Plan("ANAPEC:INDH-GON-2025", "Income-generating activities for job seekers", "INDH",
                    "GUELMIM_OUED_NOUN", "JOB_SEEKERS", "2025-01-01", "2025-12-31", "600000.00", "MAD",
                    Reach.PROPOSED),
            new Plan("EUD:INDH-SOU-2024", "Local employment initiatives", "INDH", "SOUSS_MASSA", "YOUTH,WOMEN",
                    "2024-01-01", "2024-12-31", "2500000.00", "EUR", Reach.COMPLETED,
                    new Partner("MEFP", PartnerRole.ACCOUNTABLE)),
            new Plan("CNSS:INDH-MAR-2024", "Registration of informal workers", "INDH", "MARRAKECH_SAFI",
                    "INFORMAL_WORKERS", "2024-01-15", "2024-12-15", "650000.00", "MAD", Reach.COMPLETED),
            new Plan("OFPPT:INDH-CAS-2024", "Second-chance training centres", "INDH", "CASABLANCA_SETTAT", "YOUTH",
                    "2024-09-01", "2025-06-30", "900000.00", "MAD", Reach.CANCELLED),
            new Plan("ILO:CL-NORTH-2024", "Child labour free zones", "CHILD_LABOUR",
                    TTA + ",ORIENTAL,FES_MEKNES,RABAT_SALE_KENITRA,BENI_MELLAL_KHENIFRA,CASABLANCA_SETTAT",
                    "CHILDREN", "2024-01-01", "2025-12-31", "2000000.00", "USD", Reach.STARTED,
                    new Partner("MEFP", PartnerRole.ACCOUNTABLE)),
            new Plan("MEFP:CL-SOUTH-2024", "Labour inspection against child labour",
                    "CHILD_LABOUR", "MARRAKECH_SAFI,SOUSS_MASSA,GUELMIM_OUED_NOUN,LAAYOUNE_SAKIA_EL_HAMRA,"
                    + "DAKHLA_OUED_EDDAHAB", "CHILDREN", "2024-04-01", "2025-12-31", "1000000.00", "MAD",
                    Reach.COMMITTED, new Partner("ILO", PartnerRole.FUNDING)),
            new Plan("CNSS:CL-NAT-2025", "Employer incentives for adult hiring", "CHILD_LABOUR", "NATIONAL",
                    "EMPLOYERS", "2025-01-01", "2025-12-31", "500000.00", "MAD", Reach.PROPOSED));

    private Scenario() {
    }

    public static List<String> agencyCodes() {
        return AGENCIES.stream().map(agency -> agency[0]).toList();
    }

    public static int activityCount() {
        return PLANS.size();
    }

    /** Every command of the scenario, in the order an honest world would have sent them. */
    public static List<Step> steps() {
        List<Step> steps = new ArrayList<>();
        LocalDate workshop = LocalDate.of(2023, 12, 12);
        AGENCIES.forEach(agency -> steps.add(new Step(
                new RegisterAgency(agency[0], agency[1], AgencyKind.valueOf(agency[2])), "ADMIN", workshop)));
        AXES.forEach(axis -> steps.add(new Step(new DefineAxis(axis[0], axis[1], axis[1]), "ADMIN", workshop)));
        for (Plan plan : PLANS) {
            steps.addAll(lifecycle(plan));
        }
        steps.add(new Step(new ReviseActivity("ANAPEC:WLT-CAS-2025", null, null, null, null, null, null, null,
                Money.of("1150000.00", "MAD"), "Second cohort agreed with the employers' federation"),
                "ANAPEC", LocalDate.of(2025, 1, 20)));
        steps.add(new Step(new AddPartner("ANAPEC:INDH-GON-2025", null, "EUD", PartnerRole.FUNDING),
                "ANAPEC", LocalDate.of(2025, 1, 25)));
        return List.copyOf(steps);
    }

    private static List<Step> lifecycle(Plan plan) {
        LocalDate start = LocalDate.parse(plan.start());
        LocalDate end = LocalDate.parse(plan.end());
        Money budget = new Money(new BigDecimal(plan.budget()), plan.currency());
        Money committed = share(budget, "0.96");
        String lead = plan.lead();
        List<Step> steps = new ArrayList<>();
        steps.add(new Step(new ProposeActivity(plan.id(), lead, plan.title(), plan.title() + " (" + plan.id() + ")",
                codes(plan.axes()), codes(plan.regions()), codes(plan.groups()), new Period(start, end), budget,
                List.of(plan.partners())), lead, start.minusMonths(3)));
        // The agencies named answer a week later: all agree, but GIZ, whose share of THAMM runs under its own
        // contract; EUD, named on ANAPEC's Guelmim programme in 2025, has not answered yet.
        Arrays.stream(plan.partners()).map(Partner::agency).distinct().forEach(partner -> steps.add(
                CONTESTED.equals(plan.id() + " " + partner)
                        ? new Step(new ContestPartnership(plan.id(), null, partner, null,
                                "Our share of THAMM runs under our own contract with the ministry"), partner,
                                start.minusMonths(3).plusDays(7))
                        : new Step(new ConfirmPartnership(plan.id(), null, partner, null), partner,
                                start.minusMonths(3).plusDays(7))));
        if (plan.reach() == Reach.CANCELLED) {
            steps.add(new Step(new CancelActivity(plan.id(), null, start.minusDays(10), "Merged into a joint programme"),
                    lead, start.minusDays(10)));
            return steps;
        }
        if (plan.reach() == Reach.PROPOSED) {
            return steps;
        }
        steps.add(new Step(new CommitActivity(plan.id(), null, committed, start.minusDays(20)), lead,
                start.minusDays(20)));
        if (plan.reach() == Reach.COMMITTED) {
            return steps;
        }
        steps.add(new Step(new StartActivity(plan.id(), null, start), lead, start));
        if (plan.reach() == Reach.SUSPENDED) {
            steps.add(new Step(new SuspendActivity(plan.id(), null, start.plusMonths(5), "Partner employers withdrew"),
                    lead, start.plusMonths(5)));
        } else if (plan.reach() == Reach.COMPLETED) {
            long beneficiaries = budget.amount().divide(BigDecimal.valueOf(4000), 0, RoundingMode.DOWN).longValue();
            steps.add(new Step(new CompleteActivity(plan.id(), null, end, share(committed, "0.92"), beneficiaries),
                    lead, end));
        }
        return steps;
    }

    private static Money share(Money money, String factor) {
        return new Money(money.amount().multiply(new BigDecimal(factor)).setScale(2, RoundingMode.HALF_UP),
                money.currency());
    }

    private static List<String> codes(String list) {
        return Arrays.stream(list.split(",")).map(String::strip).toList();
    }
}
