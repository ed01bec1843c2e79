package org.convergenceledger.query.convergence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.convergenceledger.query.projection.Stamp;
import org.junit.jupiter.api.Test;

class SegmentTest {

    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    private static Stamp at(long recordedDays, long occurredDays) {
        return new Stamp(T.plusSeconds(86_400 * recordedDays), T.plusSeconds(86_400 * occurredDays));
    }

    private static Segment segment(String id, String lead, Stamp from, Stamp to) {
        return new Segment(new ActivityScope(id, lead, List.of("GENDER"), List.of("ORIENTAL"), List.of("WOMEN"),
                LocalDate.of(2024, 1, 1), LocalDate.of(2024, 12, 31), Set.of(), true), 0, from, to);
    }

    @Test
    void aSegmentThatEndedBeforeTheOtherStartedOnBothTimeLinesNeverCoexistedWithIt() {
        Segment earlier = segment("ANAPEC:1", "ANAPEC", at(0, 0), at(5, 5));
        Segment later = segment("OFPPT:1", "OFPPT", at(6, 6), null);

        assertThat(earlier.coexistsWith(later)).isFalse();
        assertThat(later.coexistsWith(earlier)).isFalse();
    }

    @Test
    void runningSegmentsCoexist() {
        Segment one = segment("ANAPEC:1", "ANAPEC", at(0, 0), null);
        Segment other = segment("OFPPT:1", "OFPPT", at(6, 6), null);

        assertThat(one.coexistsWith(other)).isTrue();
    }

    @Test
    void aFactRecordedLaterButHappeningEarlierCoexistsWithWhatHeldThen() {
        // Recorded on day 6 as having happened on day 2, while the first one held from day 0 to day 5.
        Segment earlier = segment("ANAPEC:1", "ANAPEC", at(0, 0), at(5, 5));
        Segment reportedLate = segment("OFPPT:1", "OFPPT", at(6, 2), null);

        assertThat(earlier.coexistsWith(reportedLate)).isTrue();
        assertThat(reportedLate.coexistsWith(earlier)).isTrue();
    }

    @Test
    void aStampIsReachedOnlyWhenBothTimeLinesHaveReachedIt() {
        Stamp stamp = at(5, 3);

        assertThat(stamp.reachedBy(T.plusSeconds(86_400 * 5), T.plusSeconds(86_400 * 3))).isTrue();
        assertThat(stamp.reachedBy(T.plusSeconds(86_400 * 4), T.plusSeconds(86_400 * 10))).isFalse();
        assertThat(stamp.reachedBy(T.plusSeconds(86_400 * 10), T.plusSeconds(86_400 * 2))).isFalse();
    }

    @Test
    void theBulkBuildFindsEveryPairOnceAcrossSharedCellsAndOnlyBetweenCoexistingSegments() {
        Segment anapec = new Segment(new ActivityScope("ANAPEC:1", "ANAPEC", List.of("GENDER"),
                List.of("ORIENTAL", "FES_MEKNES"), List.of("WOMEN"), LocalDate.of(2024, 1, 1),
                LocalDate.of(2024, 12, 31), Set.of(), true), 0, at(0, 0), null);
        Segment ofppt = new Segment(new ActivityScope("OFPPT:1", "OFPPT", List.of("GENDER"),
                List.of("ORIENTAL", "FES_MEKNES"), List.of("WOMEN"), LocalDate.of(2024, 6, 1),
                LocalDate.of(2025, 6, 30), Set.of(), true), 0, at(1, 1), null);
        Segment gone = segment("GIZ:1", "GIZ", at(-10, -10), at(-5, -5));
        // Same agency as ANAPEC:1, and over before OFPPT:1 starts.
        Segment sameAgency = new Segment(new ActivityScope("ANAPEC:2", "ANAPEC", List.of("GENDER"),
                List.of("ORIENTAL"), List.of("WOMEN"), LocalDate.of(2024, 1, 1), LocalDate.of(2024, 3, 31), Set.of(),
                true), 0, at(2, 2), null);

        List<ConvergenceTables.PairRow> pairs = ConvergenceTables.allPairs(List.of(anapec, ofppt, gone, sameAgency));

        assertThat(pairs).hasSize(1);
        assertThat(pairs.get(0).a().activityId()).isEqualTo("ANAPEC:1");
        assertThat(pairs.get(0).pair().sharedRegions()).containsExactly("FES_MEKNES", "ORIENTAL");
        assertThat(ConvergenceTables.pairsOf(List.of(ofppt), List.of(anapec, gone, sameAgency)))
                .extracting(row -> row.pair()).containsExactlyElementsOf(
                        pairs.stream().map(ConvergenceTables.PairRow::pair).toList());
    }

    @Test
    void theBulkBuildFindsTheSamePairsAsComparingEverySegmentWithEveryOther() {
        java.util.Random random = new java.util.Random(9);
        List<String> agencies = List.of("ANAPEC", "OFPPT", "GIZ");
        List<Segment> segments = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) {
            // Many share a start day; periods from a week to five years, so the longest-period window matters.
            LocalDate start = LocalDate.of(2024, 1, 1).plusDays(random.nextInt(10) * 30L);
            LocalDate end = start.plusDays(7 + random.nextInt(5 * 365));
            String agency = agencies.get(random.nextInt(agencies.size()));
            int recorded = random.nextInt(20);
            int occurred = random.nextInt(20);
            Stamp to = random.nextBoolean() ? null
                    : at(recorded + 1 + random.nextInt(5), occurred + 1 + random.nextInt(5));
            segments.add(new Segment(new ActivityScope(agency + ":" + i, agency, List.of("GENDER"),
                    List.of(random.nextBoolean() ? "ORIENTAL" : "FES_MEKNES"), List.of("WOMEN"), start, end, Set.of(),
                    true), 0, at(recorded, occurred), to));
        }

        List<String> bulk = ConvergenceTables.allPairs(segments).stream().map(SegmentTest::key).sorted().toList();
        List<String> everyWithEvery = ConvergenceTables.pairsOf(segments, List.of()).stream().map(SegmentTest::key)
                .sorted().toList();

        assertThat(bulk).isNotEmpty().containsExactlyElementsOf(everyWithEvery);
    }

    private static String key(ConvergenceTables.PairRow row) {
        return row.a().activityId() + "|" + row.b().activityId() + "|" + row.pair().kind();
    }
}
