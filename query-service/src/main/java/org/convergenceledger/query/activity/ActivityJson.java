package org.convergenceledger.query.activity;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.convergenceledger.events.common.ActivityState;
import org.convergenceledger.events.common.Money;
import org.convergenceledger.events.common.Partner;
import org.convergenceledger.events.common.Period;

/** An activity as the API shows it. */
record ActivityJson(
        String id,
        String leadAgency,
        String title,
        String description,
        ActivityState state,
        List<Partner> partners,
        List<String> axes,
        List<String> regions,
        List<String> targetGroups,
        Period plannedPeriod,
        Money plannedBudget,
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
        Instant updatedAt) {

    record Commitment(BigDecimal amount, String currency, LocalDate on) {
    }

    static ActivityJson of(ActivityView view) {
        Commitment commitment = view.committedAmount() == null ? null
                : new Commitment(view.committedAmount().amount(), view.committedAmount().currency(),
                        view.committedOn());
        return new ActivityJson(view.id(), view.leadAgency(), view.title(), view.description(), view.state(),
                view.partners(), view.axes(), view.regions(), view.targetGroups(), view.plannedPeriod(),
                view.plannedBudget(), commitment, view.startedOn(), view.completedOn(), view.amountSpent(),
                view.beneficiariesReached(), view.suspendedOn(), view.cancelledOn(), view.cancelReason(),
                view.version(), view.lastGlobalSequence(), view.updatedAt());
    }
}
