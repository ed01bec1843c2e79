package org.convergenceledger.query.convergence;

import java.time.LocalDate;
import java.util.List;
import org.convergenceledger.events.common.ActivityState;
import org.convergenceledger.events.common.Money;

/**
 * What one activity adds to the convergence counters: where it counts (its axes, regions, target groups and lead
 * agency), in which state, with which money and how far it got. Money may be null (not planned, committed or spent
 * yet).
 */
public record Contribution(
        String leadAgency,
        ActivityState state,
        List<String> axes,
        List<String> regions,
        List<String> targetGroups,
        Money planned,
        Money committed,
        LocalDate committedOn,
        LocalDate startedOn,
        LocalDate completedOn,
        Money spent,
        Long beneficiaries) {

    public Contribution {
        axes = List.copyOf(axes);
        regions = List.copyOf(regions);
        targetGroups = List.copyOf(targetGroups);
    }
}
