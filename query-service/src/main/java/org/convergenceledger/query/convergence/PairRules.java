package org.convergenceledger.query.convergence;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * When two activities of different agencies are one too many: they share at least one axis × region × target
 * group cell and their effective periods overlap. Confirmed partners (either activity naming the other's agency,
 * and that agency agreeing) make the pair joint work instead of a likely duplication; a claim not confirmed does not.
 */
final class PairRules {

    enum Kind { DUPLICATION, JOINT }

    record Pair(String a, String b, Kind kind, List<String> sharedAxes, List<String> sharedRegions,
                List<String> sharedGroups, LocalDate overlapStart, LocalDate overlapEnd, long overlapDays,
                BigDecimal score) {
    }

    private PairRules() {
    }

    /**
     * The score, between 0 and 1, is the share of the smaller activity's cells that the other also covers, times
     * the share of the shorter period that overlaps: 1 means one activity lies wholly inside the other.
     */
    static Optional<Pair> pair(ActivityScope one, ActivityScope other) {
        if (one.leadAgency().equals(other.leadAgency()) || !one.occupying() || !other.occupying()) {
            return Optional.empty();
        }
        LocalDate overlapStart = max(one.start(), other.start());
        LocalDate overlapEnd = min(one.end(), other.end());
        if (overlapEnd.isBefore(overlapStart)) {
            return Optional.empty();
        }
        List<String> axes = shared(one.axes(), other.axes());
        List<String> regions = shared(one.regions(), other.regions());
        List<String> groups = shared(one.targetGroups(), other.targetGroups());
        if (axes.isEmpty() || regions.isEmpty() || groups.isEmpty()) {
            return Optional.empty();
        }
        long overlapDays = overlapEnd.toEpochDay() - overlapStart.toEpochDay() + 1;
        BigDecimal cellShare = BigDecimal.valueOf((long) axes.size() * regions.size() * groups.size())
                .divide(BigDecimal.valueOf(Math.min(one.cellCount(), other.cellCount())), 8, RoundingMode.HALF_UP);
        BigDecimal timeShare = BigDecimal.valueOf(overlapDays)
                .divide(BigDecimal.valueOf(Math.min(one.days(), other.days())), 8, RoundingMode.HALF_UP);
        boolean partners = one.partnerAgencies().contains(other.leadAgency())
                || other.partnerAgencies().contains(one.leadAgency());
        boolean ordered = one.id().compareTo(other.id()) < 0;
        return Optional.of(new Pair(ordered ? one.id() : other.id(), ordered ? other.id() : one.id(),
                partners ? Kind.JOINT : Kind.DUPLICATION, axes, regions, groups, overlapStart, overlapEnd,
                overlapDays, cellShare.multiply(timeShare).setScale(4, RoundingMode.HALF_UP)));
    }

    /**
     * What the two leads said of each other, in the pair's order: a confirmed partnership (joint work), or for a
     * likely duplication the strongest claim one of them made without the other's agreement.
     *
     * @param claimant the agency whose activity names the other (null when neither does)
     */
    record Partnership(String status, String claimant, String named) {

        static Partnership confirmed(String firstAgency, String secondAgency) {
            return new Partnership("CONFIRMED", firstAgency, secondAgency);
        }

        /** From each activity's unconfirmed claims on the other's lead (statuses CLAIMED or CONTESTED). */
        static Partnership unconfirmed(String firstAgency, List<String> firstClaims, String secondAgency,
                                       List<String> secondClaims) {
            for (String status : List.of("CONTESTED", "CLAIMED")) {
                if (firstClaims.contains(status)) {
                    return new Partnership(status, firstAgency, secondAgency);
                }
                if (secondClaims.contains(status)) {
                    return new Partnership(status, secondAgency, firstAgency);
                }
            }
            return new Partnership("NONE", null, null);
        }
    }

    /** The pair's reasons, in words, as the duplication and joint-work reads show them. */
    static List<String> reasons(String firstAgency, String secondAgency, List<String> axes, List<String> regions,
                                List<String> groups, LocalDate overlapStart, LocalDate overlapEnd, long overlapDays,
                                Partnership partnership) {
        return List.of(
                "both work on " + String.join(", ", axes) + " in " + String.join(", ", regions) + " for "
                        + String.join(", ", groups),
                "their periods overlap for " + overlapDays + " days, " + overlapStart + " to " + overlapEnd,
                switch (partnership.status()) {
                    case "CONFIRMED" -> firstAgency + " and " + secondAgency + " confirmed their partnership";
                    case "CLAIMED" -> partnership.claimant() + " named " + partnership.named()
                            + " as a partner, and " + partnership.named() + " has not confirmed it";
                    case "CONTESTED" -> partnership.claimant() + " named " + partnership.named()
                            + " as a partner, and " + partnership.named() + " contests it";
                    default -> "neither " + firstAgency + " nor " + secondAgency
                            + " is named as a partner on the other's activity";
                });
    }

    private static List<String> shared(List<String> one, List<String> other) {
        TreeSet<String> both = new TreeSet<>(one);
        both.retainAll(other);
        return List.copyOf(both);
    }

    private static LocalDate max(LocalDate a, LocalDate b) {
        return a.isAfter(b) ? a : b;
    }

    private static LocalDate min(LocalDate a, LocalDate b) {
        return a.isBefore(b) ? a : b;
    }
}
