package org.convergenceledger.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Random bodies driven at the API: a valid proposal with some of its fields replaced by random JSON (wrong types,
 * odd strings, huge or negative numbers, impossible dates, unknown fields, nesting), or no JSON at all. Whatever
 * comes in, the answer is never a 5xx, a refusal is problem+json, and a refused proposal stores nothing.
 */
class ApiFuzzIT {

    private static final List<String> FIELDS = List.of("activityId", "leadAgency", "title", "description", "axes",
            "regions", "targetGroups", "plannedPeriod", "plannedBudget", "partners", "unexpected");

    @Property(tries = 300, seed = "20261123")
    void noBodyBreaksTheServiceOrStoresARefusedProposal(@ForAll("bodies") Tuple.Tuple2<String, Object> sample) {
        LedgerSystem system = LedgerSystem.get();
        Ledger.ensureRegistry(system);
        String id = sample.get1();
        Object body = sample.get2();

        Http.Response response = Http.as(system.key("ANAPEC")).post(system.commandUrl() + "/api/activities", body);

        assertThat(response.status()).as("%s -> %s", body, response.raw().body()).isLessThan(500);
        if (response.status() >= 400) {
            assertThat(response.header("Content-Type")).contains("application/problem+json");
        }
        // PostgreSQL text cannot hold NUL, so such an id cannot have been stored (nor be looked up).
        if (response.status() >= 400 && id.indexOf('\u0000') < 0) {
            assertThat(system.commandDatabase().queryForObject("SELECT count(*) FROM domainevententry "
                    + "WHERE aggregateidentifier = ?", Long.class, id)).as("events of refused " + id).isZero();
        }
    }

    @Provide
    Arbitrary<Tuple.Tuple2<String, Object>> bodies() {
        Arbitrary<String> ids = Arbitraries.integers().between(0, 1_000_000_000)
                .map(n -> "ANAPEC:FUZZ-" + System.nanoTime() % 100_000_000 + "-" + n);
        Arbitrary<Object> mutated = Combinators.combine(ids, Arbitraries.maps(Arbitraries.of(FIELDS), json(2))
                        .ofMinSize(1).ofMaxSize(3))
                .as((id, changes) -> {
                    Map<String, Object> body = new LinkedHashMap<>(Ledger.proposal(id, "ANAPEC"));
                    body.putAll(changes);
                    return body;
                });
        Arbitrary<Object> raw = Arbitraries.strings().ofMaxLength(200).map(text -> (Object) text);
        return Combinators.combine(ids, Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(8, mutated), net.jqwik.api.Tuple.of(1, raw)))
                .as((fallback, body) -> Tuple.of(body instanceof Map<?, ?> map && map.get("activityId") instanceof
                        String given ? given : fallback, body));
    }

    /** Any JSON value, nested up to the given depth. */
    private static Arbitrary<Object> json(int depth) {
        List<Arbitrary<Object>> leaves = new ArrayList<>(List.of(
                Arbitraries.strings().ofMaxLength(60).map(s -> (Object) s),
                Arbitraries.strings().withChars("ANAPEC:/.%_-;\\\u0000 é".toCharArray()).ofMaxLength(40)
                        .map(s -> (Object) s),
                Arbitraries.integers().map(i -> (Object) i),
                Arbitraries.bigDecimals().between(new BigDecimal("-1e30"), new BigDecimal("1e30")).ofScale(6)
                        .map(d -> (Object) d),
                Arbitraries.of("2024-02-30", "2024-13-01", "2025-01-01", "", "NATIONAL", "YOUTH", "MAD", "XXX",
                        "1e999999", "null").map(s -> (Object) s),
                Arbitraries.of(true, false).map(b -> (Object) b),
                Arbitraries.just(null)));
        if (depth > 0) {
            leaves.add(json(depth - 1).list().ofMaxSize(4).map(l -> (Object) l));
            leaves.add(Arbitraries.maps(Arbitraries.of("start", "end", "amount", "currency", "agency", "role", "x"),
                    json(depth - 1)).ofMaxSize(4).map(m -> (Object) m));
        }
        return Arbitraries.oneOf(leaves);
    }
}
