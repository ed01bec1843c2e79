package org.convergenceledger.query.convergence;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** The convergence reads' answers, as the API writes them. */
final class ConvergenceAnswers {

    private ConvergenceAnswers() {
    }

    /**
     * How fresh an answer is: every event up to asOfSequence is in it, the last one recorded at lastEventAt. An answer
     * about a past moment names it (knownAt, validAt) and the last event recorded by knownAt.
     */
    record Freshness(Long asOfSequence, Instant lastEventAt, Instant knownAt, Instant validAt) {
    }

    record Budget(Map<String, BigDecimal> planned, Map<String, BigDecimal> committed, Map<String, BigDecimal> spent) {
    }

    record Cell(String row, String col, long activities, Map<String, Long> byState, Budget budget) {
    }

    record Matrix(String rows, String cols, List<String> rowKeys, List<String> colKeys, List<Cell> cells,
                  Freshness freshness) {
    }

    record ActivityRef(String id, String leadAgency, String title, String state, LocalDate start, LocalDate end) {
    }

    /** One activity as a list of activities shows it: enough to tell it apart and open it. */
    record ListedActivity(String id, String leadAgency, String title, String state, List<PartnerRef> partners,
                          LocalDate start, LocalDate end, BigDecimal plannedAmount, String plannedCurrency) {
    }

    /**
     * The activities a filter selects at a moment, in id order.
     *
     * @param total     how many match (items holds the first {@code limit} of them)
     * @param truncated true when total exceeds the items listed
     */
    record Activities(List<ListedActivity> items, long total, boolean truncated, Freshness freshness) {
    }

    /**
     * @param partnership CONFIRMED for joint work; for a likely duplication NONE (neither names the other),
     *                    CLAIMED (one named the other, who has not answered) or CONTESTED (the named one disputes it)
     * @param claimedBy   for CLAIMED and CONTESTED, the lead agency whose activity names the other's
     * @param review      for a likely duplication, what the coordinators decided of it (null for joint work)
     */
    record PairEntry(ActivityRef first, ActivityRef second, List<String> sharedAxes, List<String> sharedRegions,
                     List<String> sharedTargetGroups, LocalDate overlapStart, LocalDate overlapEnd, long overlapDays,
                     BigDecimal score, String partnership, String claimedBy, List<String> reasons, Review review) {

        PairEntry reviewed(Review decided) {
            return new PairEntry(first, second, sharedAxes, sharedRegions, sharedTargetGroups, overlapStart,
                    overlapEnd, overlapDays, score, partnership, claimedBy, reasons, decided);
        }
    }

    /** One coordinator decision on a pair: DUPLICATE (continuing names the activity that goes on), COMPLEMENTARY or
     * UNDER_REVIEW, with its reason, who recorded it and when. */
    record Decision(String decision, String continuing, String reason, String decidedBy, Instant decidedAt) {
    }

    /**
     * Where a pair stands with the coordinators: OPEN (never decided), the latest decision while it holds, or REOPENED
     * when either activity's scope or period (axes, regions, target groups, planned dates) changed after it.
     *
     * @param latest  the latest decision (null while OPEN)
     * @param history every decision, oldest first
     */
    record Review(String status, Decision latest, List<Decision> history) {

        static final Review OPEN = new Review("OPEN", null, List.of());
    }

    record Cluster(List<String> activities, List<String> agencies, int pairs) {
    }

    record Duplications(List<PairEntry> pairs, List<Cluster> clusters, Freshness freshness) {
    }

    /** A partner the lead named, and what it said of it: CLAIMED, CONFIRMED or CONTESTED. */
    record PartnerRef(String agency, String role, String status) {
    }

    /** An activity with at least one confirmed partner; its partners are listed whatever they said. */
    record JointActivity(String id, String leadAgency, String title, String state, List<PartnerRef> partners) {
    }

    record JointAxis(String axis, List<JointActivity> activities) {
    }

    /** @param truncated true when more activities with partners match than one answer lists (filter to see them) */
    record Joint(List<JointAxis> axes, boolean truncated, List<PairEntry> overlappingPartnerActivities,
                 Freshness freshness) {
    }

    record Gap(String axis, String region, List<String> nationalActivities) {
    }

    record Gaps(List<String> coveringStates, List<Gap> gaps, Freshness freshness) {
    }

    record Execution(BigDecimal committed, BigDecimal spent, BigDecimal committedOfCompleted, BigDecimal rate) {
    }

    record Progress(String key, long activities, Map<String, Long> reached, BigDecimal completionRate,
                    Map<String, Execution> budgetExecution, long beneficiariesReached) {
    }

    record ProgressReport(List<Progress> axes, List<Progress> agencies, Freshness freshness) {
    }

    record AxisSummary(String code, String title, Map<String, Long> activitiesByState,
                       Map<String, Long> activitiesByAgency, Map<String, BigDecimal> plannedBudget,
                       Map<String, BigDecimal> committedBudget, Map<String, BigDecimal> amountSpent) {
    }

    /** The per-axis summary; asOfSequence and lastEventAt as in every answer's freshness. */
    record ConvergenceAxes(List<AxisSummary> axes, Long asOfSequence, Instant lastEventAt, Freshness freshness) {
    }
}
