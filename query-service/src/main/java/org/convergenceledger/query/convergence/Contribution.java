package org.convergenceledger.query.convergence;

import java.util.Set;
import org.convergenceledger.events.common.ActivityState;
import org.convergenceledger.events.common.Money;

/**
 * What one activity adds to the summary of each of its axes: one count under its state, one under its lead
 * agency, and its money under each currency. Money may be null (not planned, committed or spent yet).
 */
public record Contribution(
        Set<String> axes,
        ActivityState state,
        String leadAgency,
        Money planned,
        Money committed,
        Money spent) {

    // An activity the view has not seen yet adds nothing.
    public static final Contribution NONE = new Contribution(Set.of(), null, null, null, null, null);

    public Contribution {
        axes = Set.copyOf(axes);
    }
}
