package org.convergenceledger.benchmark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The read-side benchmark's activities: the convergence workload's proposals ({@link Workload}), each then living a
 * life drawn from (seed, n) alone, so a seed gives the same ledger whatever the concurrency. Committed 60 % (with
 * Workload's amount and date); of the committed, started 75 %; of the started, completed 50 %; revised 10 % (a new
 * region, or the planned period moved by up to 90 days), in whatever state it has before completing; cancelled 5 %
 * of those that end proposed or committed; a FUNDING partner joins 5 %. About 2.45 events per activity.
 *
 * <p>Dates never go backwards: proposed (30–120 days before the commitment or the planned start) < partner joined <
 * committed ≤ started ≤ completed, a revision on the day of the step before it, a cancellation not before the
 * commitment. Each command carries its fact's date as {@code Occurred-At}, so that reads at a past {@code validAt}
 * see the activities whose facts had happened by then. Spending is in the planned (and committed) currency.
 */
final class Lifecycle {

    static final double COMMITTED = 0.60;
    static final double STARTED = 0.75;
    static final double COMPLETED = 0.50;
    static final double REVISED = 0.10;
    static final double CANCELLED = 0.05;
    static final double PARTNER_JOINS = 0.05;

    /** The kinds of command, in the order an activity's life sends them. */
    static final List<String> KINDS = List.of("propose", "partner", "commit", "start", "revise", "complete", "cancel");

    /**
     * One command: its kind, the lifecycle path after /api/activities/{id}/ (null for the proposal), its body, and
     * when the fact happened (sent as Occurred-At).
     */
    record Step(String kind, String path, byte[] body, Instant occurredAt) {
    }

    /** An activity and the commands of its life, in order; each stores one event. */
    record Life(Workload.Activity activity, List<Step> steps) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final long seed;
    private final Workload workload;

    Lifecycle(long seed, String runTag) {
        this.seed = seed;
        this.workload = new Workload(seed, COMMITTED, runTag);
    }

    /** The rule in words, for the workload line. */
    static String rule() {
        return String.format(java.util.Locale.ROOT, "every activity proposed; committed %.0f %%, of those started "
                        + "%.0f %%, of those completed %.0f %%; revised %.0f %% (new region or period moved ≤ 90 "
                        + "days); cancelled %.0f %% of those left proposed/committed; a FUNDING partner joins %.0f %%; "
                        + "each fact sent with the date it happened (Occurred-At)",
                100 * COMMITTED, 100 * STARTED, 100 * COMPLETED, 100 * REVISED, 100 * CANCELLED, 100 * PARTNER_JOINS);
    }

    /** A life's steps: each fact happens on its day, the n-th step at (9 + n) o'clock UTC, so never backwards. */
    private static final class Steps {
        final List<Step> list = new ArrayList<>(7);
        LocalDate last;

        void add(String kind, String path, byte[] body, LocalDate on) {
            last = on;
            list.add(new Step(kind, path, body, on.atTime(9 + list.size(), 0).toInstant(ZoneOffset.UTC)));
        }
    }

    Life life(int number) {
        Workload.Activity a = workload.activity(number);
        // Independent of the draws Workload made for the proposal, and of every other activity's.
        SplittableRandom random = new SplittableRandom(seed * 0xD1B54A32D192ED03L + number * 0x94D049BB133111EBL + 7);
        Steps steps = new Steps();
        LocalDate proposedOn = (a.committed() ? a.committedOn() : a.start()).minusDays(30 + random.nextInt(91));
        steps.add("propose", null, workload.proposeBody(a), proposedOn);
        if (random.nextDouble() < PARTNER_JOINS) {
            steps.add("partner", "partners", partnerBody(a, random), proposedOn.plusDays(1 + random.nextInt(20)));
        }
        boolean started = false;
        boolean completes = false;
        LocalDate startedOn = null;
        if (a.committed()) {
            steps.add("commit", "commitment", workload.commitBody(a), a.committedOn());
            started = random.nextDouble() < STARTED;
            if (started) {
                LocalDate planned = a.start().plusDays(random.nextInt(31));
                startedOn = planned.isBefore(a.committedOn()) ? a.committedOn() : planned;
                steps.add("start", "start", LedgerHttp.bytes(JSON.createObjectNode()
                        .put("startedOn", startedOn.toString())), startedOn);
                completes = random.nextDouble() < COMPLETED;
            }
        }
        if (random.nextDouble() < REVISED) {
            steps.add("revise", "revision", revisionBody(a, random), steps.last);
        }
        if (completes) {
            LocalDate planned = a.end().plusDays(random.nextInt(91) - 30);
            LocalDate completedOn = planned.isBefore(startedOn) ? startedOn : planned;
            steps.add("complete", "completion", completionBody(a, completedOn, random), completedOn);
        } else if (!started && random.nextDouble() < CANCELLED) {
            // after the commitment, or three weeks after the proposal (when a partner may have joined)
            LocalDate from = a.committed() ? a.committedOn() : proposedOn.plusDays(21);
            LocalDate cancelledOn = from.plusDays(random.nextInt(61));
            steps.add("cancel", "cancellation", LedgerHttp.bytes(JSON.createObjectNode()
                    .put("cancelledOn", cancelledOn.toString())
                    .put("reason", "Read-side benchmark: cancelled before it started")), cancelledOn);
        }
        return new Life(a, List.copyOf(steps.list));
    }

    /** Another agency than the lead and than the partner named in the proposal, as FUNDING. */
    private static byte[] partnerBody(Workload.Activity a, SplittableRandom random) {
        int agencies = Workload.AGENCY_CODES.size();
        int other;
        do {
            other = (a.agency() + 1 + random.nextInt(agencies - 1)) % agencies;
        } while (other == a.partner());
        return LedgerHttp.bytes(JSON.createObjectNode().put("agency", Workload.AGENCY_CODES.get(other))
                .put("role", "FUNDING"));
    }

    /** The regions and the planned period after the revision: one of them changed, the other as proposed. */
    private static byte[] revisionBody(Workload.Activity a, SplittableRandom random) {
        List<String> regions = new ArrayList<>(a.regions());
        LocalDate start = a.start();
        LocalDate end = a.end();
        boolean newRegion = !regions.contains(Workload.NATIONAL) && random.nextBoolean();
        String reason;
        if (newRegion) {
            String region;
            do {
                region = Workload.REGIONS.get(random.nextInt(Workload.REGIONS.size()));
            } while (regions.contains(region));
            regions.add(region);
            reason = "Read-side benchmark: extended to " + region;
        } else {
            int days = 1 + random.nextInt(90);
            days = random.nextBoolean() ? days : -days;
            start = start.plusDays(days);
            end = end.plusDays(days);
            reason = "Read-side benchmark: period moved by " + days + " days";
        }
        ObjectNode body = JSON.createObjectNode();
        regions.forEach(body.putArray("regions")::add);
        body.putObject("plannedPeriod").put("start", start.toString()).put("end", end.toString());
        body.put("reason", reason);
        return LedgerHttp.bytes(body);
    }

    /** Completed around the planned end (never before the start), 50–105 % of the commitment spent. */
    private static byte[] completionBody(Workload.Activity a, LocalDate completedOn, SplittableRandom random) {
        BigDecimal spent = a.committedAmount().multiply(BigDecimal.valueOf(50 + random.nextInt(56)))
                .divide(BigDecimal.valueOf(100), 2, RoundingMode.HALF_UP);
        ObjectNode body = JSON.createObjectNode().put("completedOn", completedOn.toString());
        body.putObject("amountSpent").put("amount", spent).put("currency", a.currency());
        body.put("beneficiariesReached", 10 + random.nextInt(5000));
        return LedgerHttp.bytes(body);
    }

    /** Commands per kind over the lives of activities 0 … n−1, in {@link #KINDS} order. */
    Map<String, Long> kinds(int activities) {
        Map<String, Long> counts = new TreeMap<>((x, y) -> KINDS.indexOf(x) - KINDS.indexOf(y));
        for (int n = 0; n < activities; n++) {
            for (Step step : life(n).steps()) {
                counts.merge(step.kind(), 1L, Long::sum);
            }
        }
        return counts;
    }
}
