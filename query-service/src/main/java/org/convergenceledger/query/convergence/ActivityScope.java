package org.convergenceledger.query.convergence;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.convergenceledger.events.common.ActivityState;

/**
 * Where, for whom and when one activity works, and with whom: its footprint, all that the duplication rules
 * compare. Axes, regions, target groups and partner agencies are kept sorted, so two footprints are equal when they
 * cover the same ground whatever order the plan listed it in.
 *
 * @param end       the effective end: the completion date once completed, else the planned end
 * @param occupying false once the activity is cancelled (or moved to another identifier): it no longer occupies its
 *                  cells
 */
public record ActivityScope(
        String id,
        String leadAgency,
        List<String> axes,
        List<String> regions,
        List<String> targetGroups,
        LocalDate start,
        LocalDate end,
        Set<String> partnerAgencies,
        boolean occupying) {

    public ActivityScope {
        axes = sorted(axes);
        regions = sorted(regions);
        targetGroups = sorted(targetGroups);
        partnerAgencies = Set.copyOf(partnerAgencies);
    }

    /**
     * Actual dates once they exist, planned ones before; a period never ends before it starts; an activity that moved
     * to another identifier occupies nothing under this one.
     */
    public static ActivityScope of(String id, String leadAgency, ActivityState state, List<String> axes,
                                   List<String> regions, List<String> targetGroups, LocalDate start,
                                   LocalDate end, Set<String> partnerAgencies, boolean moved) {
        return new ActivityScope(id, leadAgency, axes, regions, targetGroups, start,
                end.isBefore(start) ? start : end, partnerAgencies, state != ActivityState.CANCELLED && !moved);
    }

    /** Partner agencies sorted, as they are stored. */
    public List<String> sortedPartnerAgencies() {
        return sorted(partnerAgencies);
    }

    int cellCount() {
        return axes.size() * regions.size() * targetGroups.size();
    }

    long days() {
        return end.toEpochDay() - start.toEpochDay() + 1;
    }

    private static List<String> sorted(java.util.Collection<String> values) {
        return List.copyOf(new TreeSet<>(values));
    }
}
