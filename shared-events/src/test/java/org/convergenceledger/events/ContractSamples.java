package org.convergenceledger.events;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.convergenceledger.events.activity.ActivityCancelled;
import org.convergenceledger.events.activity.ActivityCommitted;
import org.convergenceledger.events.activity.ActivityMovedIn;
import org.convergenceledger.events.activity.ActivityRekeyed;
import org.convergenceledger.events.activity.ActivityCompleted;
import org.convergenceledger.events.activity.ActivityProposed;
import org.convergenceledger.events.activity.ActivityResumed;
import org.convergenceledger.events.activity.ActivityRevised;
import org.convergenceledger.events.activity.ActivityStarted;
import org.convergenceledger.events.activity.ActivitySuspended;
import org.convergenceledger.events.activity.PartnerJoined;
import org.convergenceledger.events.activity.PartnershipConfirmed;
import org.convergenceledger.events.activity.PartnershipContested;
import org.convergenceledger.events.activity.PartnershipDeclined;
import org.convergenceledger.events.activity.PartnershipRequested;
import org.convergenceledger.events.access.AccessRole;
import org.convergenceledger.events.access.ApiKeyIssued;
import org.convergenceledger.events.access.ApiKeyRevoked;
import org.convergenceledger.events.agency.AgencyKind;
import org.convergenceledger.events.agency.AgencyRegistered;
import org.convergenceledger.events.coordination.DuplicationDecided;
import org.convergenceledger.events.coordination.DuplicationVerdict;
import org.convergenceledger.events.coordination.PeriodClosed;
import org.convergenceledger.events.axis.AxisDefined;
import org.convergenceledger.events.common.Money;
import org.convergenceledger.events.common.Partner;
import org.convergenceledger.events.common.ActivityState;
import org.convergenceledger.events.common.PartnerRole;
import org.convergenceledger.events.common.PartnerStanding;
import org.convergenceledger.events.common.PartnershipStatus;
import org.convergenceledger.events.common.Period;
import org.convergenceledger.events.common.YearlyAmount;

/** One instance of every event type, the values pinned by the golden files. */
final class ContractSamples {

    static final String ACTIVITY = "ANAPEC:WLT-2024-07";
    static final Period PLAN = new Period(LocalDate.of(2024, 3, 1), LocalDate.of(2025, 2, 28));

    static final List<Record> ALL = List.of(
            new AgencyRegistered("ANAPEC", "Agence nationale de promotion de l'emploi et des compétences",
                    AgencyKind.PUBLIC_AGENCY),
            new AxisDefined("WORK_LINKED_TRAINING", "Work-linked training",
                    "Apprenticeships and dual training with employers"),
            new ActivityProposed(ACTIVITY, "ANAPEC", "Dual training for young job seekers in Tanger",
                    "Six-month work-linked placements with local employers",
                    List.of("WORK_LINKED_TRAINING", "SKILLS_PARTNERSHIP"), List.of("TANGER_TETOUAN_AL_HOCEIMA"),
                    List.of("YOUTH", "JOB_SEEKERS"), PLAN, Money.of("1250000.00", "MAD"),
                    List.of(year(2024, "1047945.21"), year(2025, "202054.79")),
                    List.of(new Partner("GIZ", PartnerRole.FUNDING))),
            new ActivityCommitted(ACTIVITY, Money.of("1200000.00", "MAD"), LocalDate.of(2024, 2, 20)),
            new ActivityStarted(ACTIVITY, LocalDate.of(2024, 3, 4)),
            new ActivityCompleted(ACTIVITY, LocalDate.of(2025, 2, 27), Money.of("1187450.50", "MAD"), 412),
            new ActivityRevised(ACTIVITY, "Dual training for young job seekers in Tanger and Tetouan",
                    "Six-month work-linked placements with local employers",
                    List.of("WORK_LINKED_TRAINING"), List.of("TANGER_TETOUAN_AL_HOCEIMA"), List.of("YOUTH"),
                    new Period(LocalDate.of(2024, 3, 1), LocalDate.of(2025, 3, 31)), Money.of("1300000", "MAD"),
                    List.of(year(2024, "1004545.45"), year(2025, "295454.55")), "Second cohort added"),
            new ActivitySuspended(ACTIVITY, LocalDate.of(2024, 7, 15), "Summer closure of partner firms"),
            new ActivityResumed(ACTIVITY, LocalDate.of(2024, 9, 2)),
            new ActivityCancelled(ACTIVITY, LocalDate.of(2024, 5, 1), "Merged into OFPPT:DUAL-NORTH"),
            new PartnerJoined(ACTIVITY, "OFPPT", PartnerRole.IMPLEMENTING),
            new PartnershipRequested(ACTIVITY, "GIZ", PartnerRole.FUNDING),
            new PartnershipConfirmed(ACTIVITY, "GIZ", List.of(PartnerRole.FUNDING)),
            new PartnershipContested(ACTIVITY, "OFPPT", List.of(PartnerRole.IMPLEMENTING),
                    "OFPPT runs its own programme in this province"),
            new PartnershipDeclined(ACTIVITY, "ILO", PartnerRole.EXTENDING, "No extending partner this year"),
            new ActivityRekeyed(ACTIVITY, "OFPPT:WLT-2024-07", "OFPPT", "Programme transferred to OFPPT"),
            new ActivityMovedIn("OFPPT:WLT-2024-07", ACTIVITY, "OFPPT", ActivityState.STARTED,
                    "Dual training for young job seekers", "Six-month work-linked placements",
                    List.of("WORK_LINKED_TRAINING"), List.of("TANGER_TETOUAN_AL_HOCEIMA"), List.of("YOUTH"), PLAN,
                    Money.of("1250000.00", "MAD"), List.of(new YearlyAmount(2024, new java.math.BigDecimal("1048780.49")),
                            new YearlyAmount(2025, new java.math.BigDecimal("201219.51"))),
                    List.of(new PartnerStanding("GIZ", PartnerRole.FUNDING,
                            PartnershipStatus.CONFIRMED, null)), Money.of("1200000.00", "MAD"),
                    LocalDate.of(2024, 2, 20), LocalDate.of(2024, 3, 4), null, null, null, null, null, null,
                    "Programme transferred to OFPPT"),
            new ApiKeyIssued("k7f3a91c02d4e", "ANAPEC", AccessRole.AGENCY, "ERP connector",
                    "sha256:3q2-7w:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
            new ApiKeyRevoked("k7f3a91c02d4e", "rotated"),
            new DuplicationDecided("pair:ANAPEC:WLT-TTA-2024+OFPPT:ALT-TTA-2024", "ANAPEC:WLT-TTA-2024",
                    "OFPPT:ALT-TTA-2024", DuplicationVerdict.DUPLICATE, "OFPPT:ALT-TTA-2024",
                    "OFPPT's programme already places the same youth with the same employers"),
            new PeriodClosed("period:ALL:2024-01-01..2024-12-31", null, LocalDate.of(2024, 1, 1),
                    LocalDate.of(2024, 12, 31), "2024 annual report adopted by the steering committee"));

    /** A part of a budget's split, as BudgetSplit makes it pro rata (the old-shape golden files upcast to these). */
    private static YearlyAmount year(int year, String amount) {
        return new YearlyAmount(year, new BigDecimal(amount));
    }

    private ContractSamples() {
    }
}
