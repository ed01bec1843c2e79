package org.convergenceledger.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** The calls the tests make again and again, spelled once. */
final class Ledger {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static boolean registered;

    private Ledger() {
    }

    /** Agencies and axes the tests use, registered once through the admin API. */
    static synchronized void ensureRegistry(LedgerSystem system) {
        if (registered) {
            return;
        }
        for (String agency : List.of("ANAPEC", "OFPPT", "GIZ", "ILO")) {
            Http.Response response = Http.post(system.commandUrl() + "/api/admin/agencies",
                    Map.of("agencyCode", agency, "name", agency + " test agency", "kind", "PUBLIC_AGENCY"));
            assertThat(response.status()).as(response.raw().body()).isIn(201, 409);
        }
        for (String axis : List.of("WORK_LINKED_TRAINING", "GENDER", "CHILD_LABOUR")) {
            Http.Response response = Http.post(system.commandUrl() + "/api/admin/axes",
                    Map.of("axisCode", axis, "title", axis.replace('_', ' ').toLowerCase()));
            assertThat(response.status()).as(response.raw().body()).isIn(201, 409);
        }
        registered = true;
    }

    static String newActivityId(String agency, String prefix) {
        return agency + ":" + prefix + "-" + System.nanoTime() % 1_000_000_000L + "-" + SEQUENCE.incrementAndGet();
    }

    static Map<String, Object> proposal(String activityId, String lead) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("activityId", activityId);
        body.put("leadAgency", lead);
        body.put("title", "Dual training " + activityId);
        body.put("description", "Work-linked placements");
        body.put("axes", List.of("WORK_LINKED_TRAINING"));
        // A region where the scenario has no work-linked training, so test activities do not pair with it.
        body.put("regions", List.of("DAKHLA_OUED_EDDAHAB"));
        body.put("targetGroups", List.of("YOUTH"));
        body.put("plannedPeriod", Map.of("start", "2024-03-01", "end", "2025-02-28"));
        body.put("plannedBudget", Map.of("amount", new BigDecimal("1250000.00"), "currency", "MAD"));
        body.put("partners", List.of(Map.of("agency", lead.equals("GIZ") ? "ILO" : "GIZ", "role", "FUNDING")));
        return body;
    }

    static Http.Response propose(LedgerSystem system, String activityId, String lead) {
        return Http.post(system.commandUrl() + "/api/activities", proposal(activityId, lead), "Ledger-Agency", lead);
    }
}
