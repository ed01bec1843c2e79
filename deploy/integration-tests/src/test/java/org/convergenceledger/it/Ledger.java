package org.convergenceledger.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Duration;
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
            Http.Response response = Ledger.admin(system).post(system.commandUrl() + "/api/admin/agencies",
                    Map.of("agencyCode", agency, "name", agency + " test agency", "kind", "PUBLIC_AGENCY"));
            assertThat(response.status()).as(response.raw().body()).isIn(201, 409);
        }
        for (String axis : List.of("WORK_LINKED_TRAINING", "GENDER", "CHILD_LABOUR")) {
            Http.Response response = Ledger.admin(system).post(system.commandUrl() + "/api/admin/axes",
                    Map.of("axisCode", axis, "title", axis.replace('_', ' ').toLowerCase()));
            assertThat(response.status()).as(response.raw().body()).isIn(201, 409);
        }
        registered = true;
    }

    static Http.As auditor(LedgerSystem system) {
        return Http.as(system.key("AUDITOR"));
    }

    static Http.As admin(LedgerSystem system) {
        return Http.as(system.key("ADMIN"));
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
        return Ledger.post(system, system.commandUrl() + "/api/activities", proposal(activityId, lead));
    }

    /**
     * Waits until every stored event of the activity is in the Merkle tree and has reached the query side. A test
     * that then alters the store plays a real attack on settled history, instead of racing the processors that
     * still read those rows (they would seal or publish the altered bytes, or stall on an id the test renamed).
     */
    static void awaitSettled(LedgerSystem system, String activityId) {
        String query = "SELECT count(*) FROM domainevententry e WHERE e.aggregateidentifier = ?";
        long stored = system.commandDatabase().queryForObject(query, Long.class, activityId);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                system.commandDatabase().queryForObject(query + " AND EXISTS (SELECT 1 FROM merkle_leaf l "
                        + "WHERE l.event_id = e.eventidentifier)", Long.class, activityId) == stored
                && system.queryDatabase().queryForObject("SELECT count(*) FROM activity_event WHERE activity_id = ?",
                        Long.class, activityId) == stored);
    }

    /**
     * Sends a command to an activity as its lead agency would: with the initial key of the agency the activity id
     * in the path names (AGENCY:ref), or for a proposal the body's leadAgency. Tests acting as someone else use
     * {@code Http.as(system.key(...))} themselves.
     */
    static Http.Response post(LedgerSystem system, String url, Object body, String... headers) {
        return Http.as(system.key(leadOf(url, body))).post(url, body, headers);
    }

    private static String leadOf(String url, Object body) {
        String path = java.net.URLDecoder.decode(url, java.nio.charset.StandardCharsets.UTF_8);
        int activities = path.indexOf("/api/activities/");
        if (activities >= 0 && path.indexOf(':', activities) > 0) {
            return path.substring(activities + "/api/activities/".length(), path.indexOf(':', activities));
        }
        if (body instanceof Map<?, ?> map && map.get("leadAgency") instanceof String lead
                && lead.matches("[A-Z][A-Z0-9_]*")) {
            return lead;
        }
        // A malformed or lead-less proposal: sent by an agency all the same, to reach the validation.
        return "ANAPEC";
    }
}
