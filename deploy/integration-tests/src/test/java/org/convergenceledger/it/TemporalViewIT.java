package org.convergenceledger.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The view at a past moment, answered from the history the live projection keeps (versions, segments and pairs with
 * their ranges on both time lines), against the same read answered from the view built again from the event store as
 * it stood at that moment. A seeded random history — proposals, commitments, starts, revisions that move activities
 * between regions and periods, partners joining, cancellations, completions, some facts reported late — is recorded
 * through the API; then, for moments drawn from it, every convergence read must give the same answer both ways.
 */
class TemporalViewIT {

    private static final List<String> AGENCIES = List.of("ANAPEC", "OFPPT", "GIZ", "ILO");
    private static final List<String> AXES = List.of("WORK_LINKED_TRAINING", "GENDER");
    private static final List<String> REGIONS = List.of("SOUSS_MASSA", "ORIENTAL", "GUELMIM_OUED_NOUN");
    private static final List<String> GROUPS = List.of("YOUTH", "WOMEN");
    private static final List<String> READS = List.of(
            "matrix?rows=axis&cols=agency", "matrix?rows=region&cols=targetGroup&agency=ANAPEC,OFPPT",
            "matrix?rows=axis&cols=region&from=2024-06-01&to=2024-12-31", "duplications", "joint",
            "gaps?axis=GENDER", "progress", "progress?axis=GENDER", "axes");

    private static LedgerSystem system;
    /** Instants between commands, to ask "as known then". */
    private static final List<Instant> KNOWN_AT = new ArrayList<>();
    /** Per activity, the occurredAt of its proposal and of its last fact. */
    private static final Map<String, Instant[]> OCCURRED = new LinkedHashMap<>();

    /** What the generator knows of each activity it made. */
    private static final class Made {
        final String id;
        final String lead;
        String state = "PROPOSED";
        final java.util.Set<String> partners = new java.util.HashSet<>();
        LocalDate clock;
        Instant occurred;

        Made(String id, String lead, LocalDate clock, Instant occurred) {
            this.id = id;
            this.lead = lead;
            this.clock = clock;
            this.occurred = occurred;
        }
    }

    @BeforeAll
    static void recordAHistory() throws InterruptedException {
        system = LedgerSystem.get();
        Ledger.ensureRegistry(system);
        Random random = new Random(2026);
        List<Made> made = new ArrayList<>();
        for (int step = 0; step < 90; step++) {
            if (step % 10 == 0) {
                KNOWN_AT.add(pause());
            }
            List<Made> open = made.stream().filter(activity -> !activity.state.equals("COMPLETED")
                    && !activity.state.equals("CANCELLED")).toList();
            if (open.isEmpty() || random.nextInt(100) < 35) {
                made.add(propose(random));
            } else {
                act(open.get(random.nextInt(open.size())), random);
            }
        }
        KNOWN_AT.add(pause());
        awaitCaughtUp();
    }

    private static Instant pause() throws InterruptedException {
        Thread.sleep(15);
        Instant between = Instant.now();
        Thread.sleep(15);
        return between;
    }

    private static Made propose(Random random) {
        String lead = AGENCIES.get(random.nextInt(AGENCIES.size()));
        LocalDate start = LocalDate.of(2024, 1, 1).plusDays(random.nextInt(300));
        String id = Ledger.newActivityId(lead, "TIME");
        Map<String, Object> body = new HashMap<>(Ledger.proposal(id, lead));
        body.put("axes", List.of(AXES.get(random.nextInt(AXES.size()))));
        body.put("regions", random.nextInt(4) == 0 ? REGIONS.subList(0, 2)
                : List.of(REGIONS.get(random.nextInt(REGIONS.size()))));
        body.put("targetGroups", List.of(GROUPS.get(random.nextInt(GROUPS.size()))));
        body.put("plannedPeriod", Map.of("start", start.toString(), "end", start.plusDays(120 + random.nextInt(400))
                .toString()));
        body.put("partners", List.of());
        Instant occurred = start.minusDays(30).atStartOfDay().toInstant(ZoneOffset.UTC);
        Http.Response response = Ledger.post(system, system.commandUrl() + "/api/activities", body,
                "Occurred-At", occurred.toString());
        assertThat(response.status()).as(response.raw().body()).isEqualTo(201);
        OCCURRED.put(id, new Instant[] {occurred, occurred});
        return new Made(id, lead, start.minusDays(30), occurred);
    }

    private static void act(Made activity, Random random) {
        activity.clock = activity.clock.plusDays(1 + random.nextInt(40));
        // Now and then a fact is reported as having happened before the previous one.
        Instant occurred = random.nextInt(100) < 15 ? activity.occurred.minusSeconds(86_400L * random.nextInt(20))
                : activity.clock.atStartOfDay().toInstant(ZoneOffset.UTC);
        String url = system.commandUrl() + "/api/activities/" + activity.id;
        String date = activity.clock.toString();
        int roll = random.nextInt(100);
        Http.Response response;
        String next = activity.state;
        if (roll < 20) {
            LocalDate start = activity.clock.plusDays(random.nextInt(60));
            response = Ledger.post(system, url + "/revision", Map.of(
                    "regions", List.of(REGIONS.get(random.nextInt(REGIONS.size()))),
                    "plannedPeriod", Map.of("start", start.toString(), "end", start.plusDays(90 + random.nextInt(300))
                            .toString()),
                    "reason", "moved"), "Occurred-At", occurred.toString());
        } else if (roll < 30 && activity.partners.size() < AGENCIES.size() - 1) {
            List<String> candidates = AGENCIES.stream().filter(agency -> !agency.equals(activity.lead)
                    && !activity.partners.contains(agency)).toList();
            String partner = candidates.get(random.nextInt(candidates.size()));
            activity.partners.add(partner);
            response = Ledger.post(system, url + "/partners", Map.of("agency", partner, "role", "FUNDING"),
                    "Occurred-At", occurred.toString());
        } else if (roll < 37) {
            response = Ledger.post(system, url + "/cancellation", Map.of("cancelledOn", date, "reason", "merged"),
                    "Occurred-At", occurred.toString());
            next = "CANCELLED";
        } else if (activity.state.equals("PROPOSED")) {
            response = Ledger.post(system, url + "/commitment", Map.of("committedAmount",
                    Map.of("amount", new BigDecimal(100_000 + random.nextInt(900_000)), "currency", "MAD"),
                    "committedOn", date), "Occurred-At", occurred.toString());
            next = "COMMITTED";
        } else if (activity.state.equals("COMMITTED")) {
            response = Ledger.post(system, url + "/start", Map.of("startedOn", date), "Occurred-At",
                    occurred.toString());
            next = "STARTED";
        } else {
            response = Ledger.post(system, url + "/completion", Map.of("completedOn", date,
                    "amountSpent", Map.of("amount", new BigDecimal(50_000 + random.nextInt(50_000)), "currency",
                            "MAD"), "beneficiariesReached", random.nextInt(500)), "Occurred-At", occurred.toString());
            next = "COMPLETED";
        }
        assertThat(response.status()).as(response.raw().body()).isEqualTo(200);
        activity.state = next;
        activity.occurred = occurred.isAfter(activity.occurred) ? occurred : activity.occurred;
        OCCURRED.get(activity.id)[1] = activity.occurred;
    }

    private static void awaitCaughtUp() {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            long head = system.commandDatabase().queryForObject("SELECT max(globalindex) FROM domainevententry",
                    Long.class);
            JsonNode live = Ledger.auditor(system).get(system.queryUrl() + "/api/audit/projection-digest").json();
            return live.path("upToSequence").asLong() >= head && live.path("exact").asBoolean();
        });
    }

    @Test
    void theViewKeptBatchByBatchIsTheViewBuiltAtOnceFromTheEventStore() {
        JsonNode live = Ledger.auditor(system).get(system.queryUrl() + "/api/audit/projection-digest").json();
        JsonNode replayed = Ledger.auditor(system).get(system.queryUrl()
                + "/api/audit/projection-digest/replayed?upToSequence=" + live.path("upToSequence").asLong()).json();

        assertThat(replayed.path("rows")).isEqualTo(live.path("rows"));
        assertThat(replayed.path("digest").asText()).isEqualTo(live.path("digest").asText());
        assertThat(live.path("rows").path("convergence_pair").asLong()).isPositive();
        assertThat(live.path("rows").path("activity_version").asLong())
                .isGreaterThan(live.path("rows").path("activity_view").asLong());
    }

    @Test
    void everyReadAtRandomMomentsEqualsTheReplayAtThatMoment() {
        Random random = new Random(7);
        List<String> moments = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            moments.add("knownAt=" + KNOWN_AT.get(1 + random.nextInt(KNOWN_AT.size() - 1)));
            moments.add("validAt=" + randomDay(random));
            moments.add("asOf=" + KNOWN_AT.get(1 + random.nextInt(KNOWN_AT.size() - 1)) + "&validAt="
                    + randomDay(random));
        }
        List<String> differences = new ArrayList<>();
        int compared = 0;
        for (int i = 0; i < moments.size(); i++) {
            String moment = moments.get(i);
            // Every read at every third moment, one read at the others: the replay is a full rebuild each time.
            for (String read : i % 3 == 0 ? READS : List.of(READS.get(i % READS.size()))) {
                String query = read + (read.contains("?") ? "&" : "?") + moment;
                JsonNode temporal = Http.get(system.queryUrl() + "/api/convergence/" + query).json();
                JsonNode replayed = Ledger.auditor(system).get(system.queryUrl()
                        + "/api/audit/replayed/convergence/" + query).json();
                if (!withoutFreshness(temporal).equals(withoutFreshness(replayed))) {
                    differences.add(query + "\n  history: " + temporal + "\n  replay:  " + replayed);
                }
                compared++;
            }
        }
        assertThat(differences).as("%d reads compared", compared).isEmpty();
        assertThat(compared).isGreaterThan(30);
    }

    @Test
    void theLiveViewAndTheViewAsKnownNowAreTheSame() {
        String now = "knownAt=" + Instant.now().plusSeconds(60);
        for (String read : READS) {
            JsonNode live = Http.get(system.queryUrl() + "/api/convergence/" + read).json();
            JsonNode known = Http.get(system.queryUrl() + "/api/convergence/" + read + (read.contains("?") ? "&" : "?")
                    + now).json();
            assertThat(withoutFreshness(known)).as(read).isEqualTo(withoutFreshness(live));
        }
    }

    @Test
    void anActivityDoesNotExistBeforeItsProposalHappenedAndIsFoundOnceItHad() {
        String id = OCCURRED.keySet().iterator().next();
        Instant proposed = OCCURRED.get(id)[0];

        Http.Response before = Http.get(system.queryUrl() + "/api/activities/" + id + "?validAt="
                + proposed.minusSeconds(1));
        Http.Response after = Http.get(system.queryUrl() + "/api/activities/" + id + "?validAt=" + proposed);
        Http.Response knownBefore = Http.get(system.queryUrl() + "/api/activities/" + id + "?knownAt="
                + KNOWN_AT.get(0));

        assertThat(before.status()).isEqualTo(404);
        assertThat(after.status()).isEqualTo(200);
        assertThat(after.json().path("version").asLong()).isZero();
        assertThat(knownBefore.status()).isEqualTo(404);
    }

    private static String randomDay(Random random) {
        return LocalDate.of(2023, 12, 1).plusDays(random.nextInt(500)).atStartOfDay().toInstant(ZoneOffset.UTC)
                .toString();
    }

    /** The answer without what says how fresh it is: a replay and the live view are fresh in different ways. */
    private static JsonNode withoutFreshness(JsonNode answer) {
        JsonNode copy = answer.deepCopy();
        strip(copy);
        return copy;
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove(List.of("freshness", "asOfSequence", "lastEventAt"));
            for (Iterator<JsonNode> children = object.elements(); children.hasNext(); ) {
                strip(children.next());
            }
        } else if (node.isArray()) {
            node.forEach(TemporalViewIT::strip);
        }
    }
}
