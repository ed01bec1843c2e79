package org.convergenceledger.query.convergence;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.convergenceledger.events.common.ActivityState;

/**
 * Where, for whom and when one activity works, and with whom: what the convergence view needs of it.
 *
 * @param end the effective end: the completion date once completed, else the planned end
 */
public record ActivityScope(
        String id,
        String leadAgency,
        ActivityState state,
        List<String> axes,
        List<String> regions,
        List<String> targetGroups,
        LocalDate start,
        LocalDate end,
        Set<String> partnerAgencies) {

    public ActivityScope {
        axes = List.copyOf(axes);
        regions = List.copyOf(regions);
        targetGroups = List.copyOf(targetGroups);
        partnerAgencies = Set.copyOf(partnerAgencies);
    }

    /** Actual dates once they exist, planned ones before; a period never ends before it starts. */
    public static ActivityScope of(String id, String leadAgency, ActivityState state, List<String> axes,
                                   List<String> regions, List<String> targetGroups, LocalDate start,
                                   LocalDate end, Set<String> partnerAgencies) {
        return new ActivityScope(id, leadAgency, state, axes, regions, targetGroups, start,
                end.isBefore(start) ? start : end, partnerAgencies);
    }

    /** Same cells, agencies and period, still occupying or not: nothing a pair depends on has changed. */
    public boolean sameFootprintAs(ActivityScope other) {
        return leadAgency.equals(other.leadAgency) && axes.equals(other.axes) && regions.equals(other.regions)
                && targetGroups.equals(other.targetGroups) && start.equals(other.start) && end.equals(other.end)
                && partnerAgencies.equals(other.partnerAgencies) && occupiesItsCells() == other.occupiesItsCells();
    }

    /** A cancelled activity no longer occupies its cells. */
    boolean occupiesItsCells() {
        return state != ActivityState.CANCELLED;
    }

    int cellCount() {
        return axes.size() * regions.size() * targetGroups.size();
    }

    long days() {
        return end.toEpochDay() - start.toEpochDay() + 1;
    }
}
