package org.convergenceledger.query.activity;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.convergenceledger.events.common.ActivityState;
import org.convergenceledger.events.common.Money;
import org.convergenceledger.events.common.Period;
import org.convergenceledger.events.common.YearlyAmount;

/**
 * An activity as the API shows it. Partners are those the lead named, each with what the agency said of it
 * (CLAIMED, CONFIRMED, CONTESTED and the contestation's reason); partnerRequests are agencies' own requests to join
 * (REQUESTED, or DECLINED with the lead's reason).
 */
record ActivityJson(
        String id,
        String leadAgency,
        String title,
        String description,
        ActivityState state,
        List<ActivityView.Partnership> partners,
        List<ActivityView.Partnership> partnerRequests,
        List<String> axes,
        List<String> regions,
        List<String> targetGroups,
        Period plannedPeriod,
        Money plannedBudget,
        List<YearlyAmount> plannedBudgetByYear,
        Commitment committed,
        LocalDate startedOn,
        LocalDate completedOn,
        Money amountSpent,
        Long beneficiariesReached,
        LocalDate suspendedOn,
        LocalDate cancelledOn,
        String cancelReason,
        long version,
        long lastGlobalSequence,
        Instant updatedAt,
        String movedTo) {

    record Commitment(BigDecimal amount, String currency, LocalDate on) {
    }

    static ActivityJson of(ActivityView view) {
        ActivityView.Commitment commitment = view.commitment();
        ActivityView.Plan plan = view.plan();
        ActivityView.Execution execution = view.execution();
        return new ActivityJson(view.id(), view.leadAgency(), plan.title(), plan.description(), view.state(),
                view.namedPartners(), view.sortedPartners().stream().filter(partner -> !partner.status().named())
                        .toList(), plan.axes(), plan.regions(), plan.targetGroups(), plan.period(), plan.budget(),
                plan.budgetByYear(),
                commitment == null || commitment.amount() == null ? null : new Commitment(commitment.amount().amount(),
                        commitment.amount().currency(), commitment.on()),
                execution.startedOn(), execution.completedOn(), execution.amountSpent(),
                execution.beneficiariesReached(), view.hold().suspendedOn(), view.hold().cancelledOn(),
                view.hold().cancelReason(), view.version().sequence(), view.version().globalSequence(),
                view.version().recordedAt(), view.movedTo());
    }
}
