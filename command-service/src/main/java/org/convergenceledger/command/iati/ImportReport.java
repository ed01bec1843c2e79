package org.convergenceledger.command.iati;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an import did, or would do, with each activity of the file, in file order, and how many of each outcome.
 *
 * @param checked what the outcomes rest on: "applied" (the ledger took or refused each command), or for a dry run
 *                "content only" (the file, its mapping and the content rules; a revision the activity's state does
 *                not allow, or a race with another change, shows only when it is applied)
 */
record ImportReport(boolean dryRun, String checked, Map<String, Long> totals, List<Outcome> activities) {

    static final String APPLIED = "applied";
    static final String CONTENT_ONLY = "content only";

    /** Outcomes of an import; a dry run's "would-" ones stand for what it did not do. */
    static final List<String> OUTCOMES = List.of("created", "updated", "unchanged", "refused", "would-create",
            "would-update");

    /**
     * @param code     for a refused activity, the problem's code (as the REST API would give it), or not-importable
     * @param version  the activity's version after the import, when it was created or updated
     * @param reasons  why it was refused
     * @param warnings what of the file was left out, and why
     */
    record Outcome(int position, String iatiIdentifier, String activityId, String outcome, String code, Long version,
                   List<String> reasons, List<String> warnings) {
    }

    static ImportReport of(boolean dryRun, List<Outcome> outcomes) {
        Map<String, Long> totals = new LinkedHashMap<>();
        OUTCOMES.forEach(outcome -> totals.put(outcome,
                outcomes.stream().filter(o -> o.outcome().equals(outcome)).count()));
        return new ImportReport(dryRun, dryRun ? CONTENT_ONLY : APPLIED, totals, List.copyOf(outcomes));
    }
}
