package org.convergenceledger.benchmark;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.convergenceledger.events.activity.ActivityCommitted;
import org.convergenceledger.events.activity.ActivityEvent;
import org.convergenceledger.events.activity.ActivityProposed;
import org.convergenceledger.events.activity.ActivityResumed;
import org.convergenceledger.events.activity.ActivityRevised;
import org.convergenceledger.events.activity.ActivityStarted;
import org.convergenceledger.events.activity.ActivitySuspended;
import org.convergenceledger.events.activity.PartnerJoined;
import org.convergenceledger.events.common.BudgetSplit;
import org.convergenceledger.events.common.Money;
import org.convergenceledger.events.common.Partner;
import org.convergenceledger.events.common.PartnerRole;
import org.convergenceledger.events.common.Period;
import org.convergenceledger.events.json.LedgerJson;

/**
 * The audit benchmark's events: the ledger's own event records (shared-events), with the content of the
 * convergence benchmark's activities ({@link Workload}), so that payloads have the size and shape of stored ones.
 * Event 0 of an activity is its proposal, 1 its commitment, 2 its start; later ones are a mix of revisions (40 %),
 * partners joining (30 %), suspensions (15 %) and resumptions (15 %) — the verifier checks seals and links, not
 * the life cycle's rules.
 */
final class AuditEvents {

    /** The ledger's Jackson configuration: payload trees keep decimals as written, as the services' do. */
    static final ObjectMapper JSON = LedgerJson.newObjectMapper();

    private static final PartnerRole[] ROLES = PartnerRole.values();

    private final Workload workload;

    AuditEvents(long seed, String runTag) {
        this.workload = new Workload(seed, 1.0, runTag);
    }

    Workload.Activity activity(int number) {
        return workload.activity(number);
    }

    /** Event {@code sequence} of activity {@code a}, under the aggregate id {@code activityId}. */
    ActivityEvent event(String activityId, Workload.Activity a, long sequence, SplittableRandom random) {
        Money budget = new Money(a.amount(), a.currency());
        if (sequence == 0) {
            List<Partner> partners = a.partner() < 0 ? List.of()
                    : List.of(new Partner(Workload.AGENCY_CODES.get(a.partner()), PartnerRole.FUNDING));
            return new ActivityProposed(activityId, a.leadAgency(), Workload.title(a), Workload.description(a),
                    a.axes(), a.regions(), a.targetGroups(), new Period(a.start(), a.end()), budget,
                    BudgetSplit.proRata(new Period(a.start(), a.end()), budget), partners);
        }
        if (sequence == 1) {
            BigDecimal committed = a.committedAmount() != null ? a.committedAmount()
                    : a.amount().multiply(BigDecimal.valueOf(9)).divide(BigDecimal.TEN, 2, RoundingMode.HALF_UP);
            LocalDate on = a.committedOn() != null ? a.committedOn() : a.start().minusDays(30);
            return new ActivityCommitted(activityId, new Money(committed, a.currency()), on);
        }
        if (sequence == 2) {
            return new ActivityStarted(activityId, a.start());
        }
        LocalDate on = a.start().plusDays(7 * sequence);
        int kind = random.nextInt(100);
        if (kind < 40) {
            BigDecimal revised = a.amount().multiply(BigDecimal.valueOf(100 + random.nextInt(21)))
                    .divide(BigDecimal.valueOf(100), 2, RoundingMode.HALF_UP);
            Period extended = new Period(a.start(), a.end().plusMonths(1 + random.nextInt(6)));
            return new ActivityRevised(activityId, Workload.title(a), Workload.description(a), a.axes(),
                    a.regions(), a.targetGroups(), extended, new Money(revised, a.currency()),
                    BudgetSplit.proRata(extended, new Money(revised, a.currency())),
                    "Revised after the steering committee of " + on);
        }
        if (kind < 70) {
            String partner = Workload.AGENCY_CODES.get((a.agency() + 1 + random.nextInt(
                    Workload.AGENCY_CODES.size() - 1)) % Workload.AGENCY_CODES.size());
            return new PartnerJoined(activityId, partner, ROLES[random.nextInt(ROLES.length)]);
        }
        if (kind < 85) {
            return new ActivitySuspended(activityId, on, "Suspended pending the disbursement of the next tranche");
        }
        return new ActivityResumed(activityId, on);
    }

    /** The envelope keys the hash covers, as HashChain takes them from the metadata (no idempotency key here). */
    static Map<String, String> envelope(String recordedBy, String occurredAt) {
        return Map.of("recordedBy", recordedBy, "occurredAt", occurredAt);
    }

    /** A random (version 4) UUID from a seeded generator. */
    static String uuid(SplittableRandom random) {
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }
}
