package org.convergenceledger.events.activity;

import java.time.LocalDate;
import java.util.List;
import org.convergenceledger.events.common.ActivityState;
import org.convergenceledger.events.common.Money;
import org.convergenceledger.events.common.PartnerStanding;
import org.convergenceledger.events.common.Period;
import org.convergenceledger.events.common.YearlyAmount;

/**
 * The first event of an identifier an activity moved to: everything the activity was when it left movedFrom (its
 * state, plan, partnerships, commitment, execution, hold), so that its new stream stands on its own, while its hash
 * chains to the {@link ActivityRekeyed} that closed the old one. The planned budget's split by year is carried as it
 * stood (a move never re-splits).
 */
public record ActivityMovedIn(
        String activityId,
        String movedFrom,
        String leadAgency,
        ActivityState state,
        String title,
        String description,
        List<String> axes,
        List<String> regions,
        List<String> targetGroups,
        Period plannedPeriod,
        Money plannedBudget,
        List<YearlyAmount> plannedBudgetByYear,
        List<PartnerStanding> partners,
        Money committedAmount,
        LocalDate committedOn,
        LocalDate startedOn,
        LocalDate completedOn,
        Money amountSpent,
        Long beneficiariesReached,
        LocalDate suspendedOn,
        LocalDate cancelledOn,
        String cancelReason,
        String reason) implements ActivityEvent {

    public ActivityMovedIn {
        partners = partners == null ? List.of() : List.copyOf(partners);
        plannedBudgetByYear = plannedBudgetByYear == null ? null : List.copyOf(plannedBudgetByYear);
    }
}
