package org.convergenceledger.query.convergence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CellIndexLaneTest {

    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    private static CellIndex.Entry entry(String id, LocalDate start, LocalDate end) {
        return new CellIndex.Entry(id, 0, "ANAPEC", start, end, T, T, null, null);
    }

    private static List<String> mayOverlap(CellIndex.Lane lane, LocalDate start, LocalDate end) {
        List<String> ids = new ArrayList<>();
        lane.mayOverlap(start, end).forEach(sameStart -> sameStart.forEach(entry -> ids.add(entry.activityId)));
        return ids;
    }

    @Test
    void aLongPeriodStartedEarlyIsStillFoundForALatePeriod() {
        CellIndex.Lane lane = new CellIndex.Lane();
        lane.add(entry("long", LocalDate.of(2020, 1, 1), LocalDate.of(2030, 12, 31)));
        lane.add(entry("short", LocalDate.of(2024, 1, 1), LocalDate.of(2024, 3, 31)));
        lane.add(entry("after", LocalDate.of(2027, 1, 1), LocalDate.of(2027, 6, 30)));

        assertThat(mayOverlap(lane, LocalDate.of(2026, 1, 1), LocalDate.of(2026, 12, 31)))
                .contains("long").doesNotContain("after");
    }

    @Test
    void entriesSharingAStartDayAreAllKeptAndFound() {
        CellIndex.Lane lane = new CellIndex.Lane();
        LocalDate day = LocalDate.of(2025, 1, 1);
        for (int i = 0; i < 1_000; i++) {
            lane.add(entry("same-" + i, day, day.plusDays(90)));
        }
        lane.add(entry("later", day.plusDays(200), day.plusDays(300)));

        List<String> found = mayOverlap(lane, day.plusDays(30), day.plusDays(60));

        assertThat(found).hasSize(1_000).allMatch(id -> id.startsWith("same-"));
    }

    @Test
    void aPeriodEndingBeforeEveryStartFindsNothing() {
        CellIndex.Lane lane = new CellIndex.Lane();
        lane.add(entry("one", LocalDate.of(2025, 1, 1), LocalDate.of(2025, 1, 31)));

        assertThat(mayOverlap(lane, LocalDate.of(2024, 1, 1), LocalDate.of(2024, 12, 31))).isEmpty();
    }
}
